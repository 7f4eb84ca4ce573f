using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>
/// Several dispatchers over one database, as several app instances run them: each event is fanned
/// out once and each delivery attempted once, on SQLite and PostgreSQL.
/// </summary>
public sealed class WebhookFanOutTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatchers_fanning_out_at_once_create_one_delivery_per_event_and_endpoint(DatabaseProvider provider)
    {
        await using var bed = await WebhookTestBed.CreateAsync(provider: provider);
        await bed.AddEndpointAsync("http://127.0.0.1:9/first");
        await bed.AddEndpointAsync("http://127.0.0.1:9/second");
        var created = await bed.CreateApplicationAsync();
        const int events = 30;
        for (var i = 0; i < events; i++)
            await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

        var dispatchers = Enumerable.Range(0, 4).Select(_ => bed.NewDispatcher()).ToList();
        // None of them fails: an event another dispatcher claimed first is skipped, not a unique-index error.
        await Task.WhenAll(dispatchers.Select(d => Task.Run(() => d.FanOutAsync())));

        await using var db = bed.Database.CreateContext();
        Assert.Equal(0, await db.WebhookEvents.CountAsync(e => e.FannedOutAt == null));
        Assert.Equal(2 * events, await db.WebhookDeliveries.CountAsync());
        var perEvent = await db.WebhookDeliveries.GroupBy(d => d.EventId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(events, perEvent.Count);
        Assert.All(perEvent, count => Assert.Equal(2, count));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatchers_running_together_attempt_each_delivery_once(DatabaseProvider provider)
    {
        await using var bed = await WebhookTestBed.CreateAsync(provider: provider);
        await using var receiver = await TestReceiver.StartAsync();
        await bed.AddEndpointAsync(receiver.Url);
        var created = await bed.CreateApplicationAsync();
        const int events = 20;
        for (var i = 0; i < events; i++)
            await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

        var dispatchers = Enumerable.Range(0, 3).Select(_ => bed.NewDispatcher()).ToList();
        await Task.WhenAll(dispatchers.Select(dispatcher => Task.Run(() =>
            WebhookTestBed.RunUntilAsync(dispatcher, async () =>
            {
                await using var db = bed.Database.CreateContext();
                return await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Delivered) == events;
            }))));
        await Task.WhenAll(dispatchers.Select(d => d.WhenIdleAsync()));

        var received = receiver.Requests.ToList();
        Assert.Equal(events, received.Count);
        Assert.Equal(events, received.Select(r => r.Id).Distinct().Count());
        Assert.All(received, r => Assert.Equal(1, r.Attempt));
        await using var check = bed.Database.CreateContext();
        Assert.Equal(events, await check.WebhookAttempts.CountAsync());
    }
}
