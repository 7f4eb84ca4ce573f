using System.Collections.Concurrent;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>
/// Fair dispatch and the per-endpoint throttle, on the fake clock: the dispatcher is driven pass by pass, the clock moved by the
/// test between passes, and each arrival stamped with the fake time, so bounds are in fake seconds and no wall-clock speed counts.
/// </summary>
public sealed class FairDispatchTests
{
    /// <summary>
    /// How long (fake time) any healthy delivery may wait behind the dead endpoint's backlog. 100 healthy deliveries over
    /// 28 free slots need 4 passes of one second each; 10 s leaves a margin of more than two.
    /// </summary>
    private static readonly TimeSpan HealthyBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_dead_endpoint_with_5000_due_deliveries_does_not_delay_ten_healthy_endpoints_of_other_accounts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = WebhookTestBed.FastOptions();
        options.PollInterval = TimeSpan.FromSeconds(1);
        options.Timeout = TimeSpan.FromSeconds(30); // never reached: the dead endpoint holds its slots for the whole test
        await using var bed = await WebhookTestBed.CreateAsync(options, clock);
        await using var dead = await TestReceiver.StartAsync();
        dead.Answer = (_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted);
        await using var healthy = await TestReceiver.StartAsync();
        var arrivals = new ConcurrentDictionary<string, DateTimeOffset>();
        healthy.Answer = (_, context) =>
        {
            arrivals[context.Request.Headers["webhook-id"].ToString()] = clock.GetUtcNow();
            return context.Response.WriteAsync("ok");
        };

        var deadEndpoint = await bed.AddEndpointAsync(dead.Url);
        var start = clock.GetUtcNow().UtcDateTime;
        // The backlog is older than everything else, so oldest-first would hand it every slot.
        await AddDueAsync(bed, bed.AcmeId, deadEndpoint.EndpointId, 5000, start - TimeSpan.FromHours(1));
        var healthyIds = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var account = new Account { Name = $"Healthy {i}" };
            await using (var db = bed.Database.CreateContext())
            {
                db.Accounts.Add(account);
                await db.SaveChangesAsync();
            }
            var owner = new Viewer($"owner-{i}", $"Owner {i}", Roles.Owner, account.Id);
            var endpoint = await bed.Endpoints.CreateAsync(owner, new WebhookEndpointService.Form { Url = $"{healthy.Url}?account={i}", Events = [WebhookEvents.KeyRotated] });
            foreach (var id in await AddDueAsync(bed, account.Id, endpoint.EndpointId, 10, start)) healthyIds.Add(id.ToString());
        }

        var dispatcher = bed.NewDispatcher();
        try
        {
            while (!healthyIds.IsSubsetOf(arrivals.Keys) && clock.GetUtcNow().UtcDateTime - start <= HealthyBound * 3)
            {
                await dispatcher.DispatchAsync();
                // Every attempt started is either answered or one of the dead endpoint's, waiting for ever.
                await WaitAsync(() => dispatcher.InFlight == dead.Requests.Count);
                clock.Advance(options.PollInterval);
            }

            Assert.Equal(healthyIds.Count, healthyIds.Count(arrivals.ContainsKey));
            Assert.All(healthyIds, id => Assert.InRange(arrivals[id].UtcDateTime - start, TimeSpan.Zero, HealthyBound));
            Assert.InRange(dead.Requests.Count, 1, options.MaxConcurrencyPerEndpoint); // it had its share, and no more
        }
        finally
        {
            await dispatcher.StopAsync();
        }
    }

    [Fact]
    public async Task An_endpoint_throttled_to_two_per_second_never_gets_more_than_two_in_any_second()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = WebhookTestBed.FastOptions();
        options.MaxDeliveriesPerSecond = 5;
        await using var bed = await WebhookTestBed.CreateAsync(options, clock);
        await using var receiver = await TestReceiver.StartAsync();
        var arrivals = new ConcurrentQueue<DateTimeOffset>();
        receiver.Answer = (_, context) =>
        {
            arrivals.Enqueue(clock.GetUtcNow());
            return context.Response.WriteAsync("ok");
        };
        var endpoint = await bed.Endpoints.CreateAsync(bed.Owner, new WebhookEndpointService.Form { Url = receiver.Url, Events = [WebhookEvents.KeyRotated], MaxDeliveriesPerSecond = 2 });
        await AddDueAsync(bed, bed.AcmeId, endpoint.EndpointId, 12, clock.GetUtcNow().UtcDateTime);

        var dispatcher = bed.NewDispatcher();
        for (var pass = 0; pass < 100 && arrivals.Count < 12; pass++)
        {
            await dispatcher.DispatchAsync();
            await WaitAsync(() => dispatcher.InFlight == 0);
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }

        var times = arrivals.OrderBy(t => t).ToList();
        Assert.Equal(12, times.Count);
        Assert.All(times, t => Assert.InRange(times.Count(u => u >= t && u < t + TimeSpan.FromSeconds(1)), 1, 2));
    }

    [Fact]
    public async Task An_owner_cannot_set_a_throttle_above_the_administrators_cap()
    {
        var options = WebhookTestBed.FastOptions();
        options.MaxDeliveriesPerSecond = 5;
        await using var bed = await WebhookTestBed.CreateAsync(options);
        var refused = await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            bed.Endpoints.CreateAsync(bed.Owner, new WebhookEndpointService.Form { Url = "http://127.0.0.1:9/hook", Events = [WebhookEvents.KeyRotated], MaxDeliveriesPerSecond = 6 }));
        Assert.Contains("At most 5", refused.Message);

        var created = await bed.Endpoints.CreateAsync(bed.Owner, new WebhookEndpointService.Form { Url = "http://127.0.0.1:9/hook", Events = [WebhookEvents.KeyRotated] });
        Assert.Equal(5, (await bed.Endpoints.GetAsync(bed.Owner, created.EndpointId)).DeliveriesPerSecond);
    }

    /// <summary>Events already fanned out and their deliveries, due at <paramref name="due"/>, written in one go.</summary>
    private static async Task<IReadOnlyList<Guid>> AddDueAsync(WebhookTestBed bed, Guid accountId, Guid endpointId, int count, DateTime due)
    {
        await using var db = bed.Database.CreateContext();
        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == endpointId);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var webhookEvent = new WebhookEvent { AccountId = accountId, Name = WebhookEvents.KeyRotated, DataJson = "{}", OccurredAt = due, FannedOutAt = due };
            var delivery = WebhookDispatcher.NewDelivery(webhookEvent, endpoint, due);
            db.WebhookEvents.Add(webhookEvent);
            db.WebhookDeliveries.Add(delivery);
            ids.Add(delivery.Id);
        }
        await db.SaveChangesAsync();
        return ids;
    }

    /// <summary>Waits (real time) for what the dispatcher's background attempts bring about; fails after a generous limit.</summary>
    private static async Task WaitAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The dispatcher's attempts did not settle.");
            await Task.Delay(5);
        }
    }
}
