using System.ComponentModel.DataAnnotations;
using System.Text;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>Replays of an endpoint's events to a real receiver on loopback, verified with the Standard Webhooks library.</summary>
public sealed class ReplayTests : IAsyncLifetime
{
    private WebhookTestBed bed = default!;
    private TestReceiver receiver = default!;
    private WebhookReplayService replays = default!;

    public async Task InitializeAsync()
    {
        bed = await WebhookTestBed.CreateAsync();
        receiver = await TestReceiver.StartAsync();
        replays = bed.Services.GetRequiredService<WebhookReplayService>();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await bed.DisposeAsync();
    }

    [Fact]
    public async Task A_replay_since_a_time_sends_exactly_the_events_in_range_once_each_with_their_original_webhook_id()
    {
        var issued = await bed.AddEndpointAsync(receiver.Url);
        var now = bed.Clock.GetUtcNow().UtcDateTime;
        // Six events, one an hour, all delivered.
        var ids = new List<string>();
        for (var hoursAgo = 6; hoursAgo >= 1; hoursAgo--)
            ids.Add((await AddDeliveryAsync(issued.EndpointId, now - TimeSpan.FromHours(hoursAgo))).ToString());
        var dispatcher = bed.NewDispatcher();
        await WebhookTestBed.RunUntilAsync(dispatcher, () => Task.FromResult(receiver.Requests.Count == 6));
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => (await bed.Log.SearchAsync(bed.Owner, new(Status: WebhookDeliveryStatus.Delivered))).Total == 6);
        receiver.Requests.Clear();

        // Since 4½ hours ago until 1½ hours ago: the events of 4, 3 and 2 hours ago.
        var replay = await replays.StartAsync(bed.Owner, issued.EndpointId,
            new WebhookReplayService.Form { Since = now - TimeSpan.FromHours(4.5), Until = now - TimeSpan.FromHours(1.5) });
        Assert.Equal(3, replay.Total);
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => !(await replays.GetAsync(bed.Owner, replay.Id)).IsRunning);
        await dispatcher.WhenIdleAsync();

        var requests = receiver.Requests.ToList();
        Assert.Equal(ids[2..5], requests.Select(r => r.Id).OrderBy(id => ids.IndexOf(id)));
        Assert.All(requests, r => Assert.True(LibraryVerifies(issued.Secret, r), "the receiver's library accepts the replayed delivery"));
        Assert.All(requests, r => Assert.Equal(2, r.Attempt));
        var done = await replays.GetAsync(bed.Owner, replay.Id);
        Assert.Equal((3, 3, 0, 100), (done.Total, done.Done, done.Failed, done.Percent));
        await using var db = bed.Database.CreateContext();
        Assert.Contains(await db.AuditEntries.Where(a => a.Action == AuditActions.WebhookReplayStarted).Select(a => a.Changes).ToListAsync(),
            c => c.Contains("3 sent again, 0 missed"));
    }

    [Fact]
    public async Task Failed_only_replays_just_the_failed_and_a_full_one_also_sends_what_the_endpoint_missed_while_disabled()
    {
        receiver.Answer = (n, context) =>
        {
            context.Response.StatusCode = n == 1 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            return Task.CompletedTask;
        };
        var options = WebhookTestBed.FastOptions();
        options.MaxAttempts = 1;
        options.MaxConcurrencyPerEndpoint = 1; // the first request (the 500) is the first delivery's
        var issued = await bed.AddEndpointAsync(receiver.Url);
        var now = bed.Clock.GetUtcNow().UtcDateTime;
        var failed = await AddDeliveryAsync(issued.EndpointId, now - TimeSpan.FromHours(3));
        var delivered = await AddDeliveryAsync(issued.EndpointId, now - TimeSpan.FromHours(2));
        var dispatcher = bed.NewDispatcher(options);
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => (await bed.Log.SearchAsync(bed.Owner, new())).Rows.All(r => r.Status is WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.Failed));
        Assert.Equal(WebhookDeliveryStatus.Failed, (await bed.Log.GetAsync(bed.Owner, failed)).Delivery.Status);

        // An event while the endpoint was disabled has no delivery of its own.
        await using (var db = bed.Database.CreateContext())
        {
            db.WebhookEvents.Add(new WebhookEvent { AccountId = bed.AcmeId, Name = WebhookEvents.KeyRotated, DataJson = "{}", OccurredAt = now - TimeSpan.FromHours(1), FannedOutAt = now });
            await db.SaveChangesAsync();
        }

        var onlyFailed = await replays.StartAsync(bed.Owner, issued.EndpointId, new WebhookReplayService.Form { Since = now - TimeSpan.FromDays(1), FailedOnly = true });
        Assert.Equal(1, onlyFailed.Total);
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => !(await replays.GetAsync(bed.Owner, onlyFailed.Id)).IsRunning);
        Assert.Equal(WebhookDeliveryStatus.Delivered, (await bed.Log.GetAsync(bed.Owner, failed)).Delivery.Status);

        var all = await replays.StartAsync(bed.Owner, issued.EndpointId, new WebhookReplayService.Form { Since = now - TimeSpan.FromDays(1) });
        Assert.Equal(3, all.Total); // the two delivered again, and the missed one for the first time
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => !(await replays.GetAsync(bed.Owner, all.Id)).IsRunning);
        Assert.Equal(3, (await bed.Log.SearchAsync(bed.Owner, new())).Total);
        Assert.NotEqual(failed, delivered);
    }

    [Fact]
    public async Task A_cancelled_replay_hands_back_what_it_had_not_sent_and_others_may_not_replay_or_cancel()
    {
        var issued = await bed.AddEndpointAsync(receiver.Url);
        var now = bed.Clock.GetUtcNow().UtcDateTime;
        for (var i = 1; i <= 3; i++)
        {
            var id = await AddDeliveryAsync(issued.EndpointId, now - TimeSpan.FromHours(i));
            await using var db = bed.Database.CreateContext();
            await db.WebhookDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Delivered).SetProperty(d => d.DeliveredAt, now).SetProperty(d => d.Attempts, 1).SetProperty(d => d.NextAttemptAt, (DateTime?)null));
        }
        await Assert.ThrowsAsync<AccessDeniedException>(() => replays.StartAsync(bed.OtherOwner, issued.EndpointId, new WebhookReplayService.Form { Since = now - TimeSpan.FromDays(1) }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => replays.StartAsync(bed.Support, issued.EndpointId, new WebhookReplayService.Form { Since = now - TimeSpan.FromDays(1) }));
        var empty = await Assert.ThrowsAsync<ValidationException>(() => replays.StartAsync(bed.Owner, issued.EndpointId, new WebhookReplayService.Form { Since = now - TimeSpan.FromDays(1), FailedOnly = true }));
        Assert.Contains("No events", empty.Message);

        var replay = await replays.StartAsync(bed.Owner, issued.EndpointId, new WebhookReplayService.Form { Since = now - TimeSpan.FromDays(1) });
        Assert.True(replay.IsRunning);
        await Assert.ThrowsAsync<AccessDeniedException>(() => replays.CancelAsync(bed.OtherOwner, replay.Id));
        var cancelled = await replays.CancelAsync(bed.Owner, replay.Id);
        Assert.False(cancelled.IsRunning);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.All((await bed.Log.SearchAsync(bed.Owner, new())).Rows, r => Assert.Equal(WebhookDeliveryStatus.Delivered, r.Status));

        await bed.NewDispatcher().DispatchAsync();
        Assert.Empty(receiver.Requests);
    }

    /// <summary>An event of <paramref name="occurredAt"/> with its delivery to the endpoint, due now.</summary>
    private async Task<Guid> AddDeliveryAsync(Guid endpointId, DateTime occurredAt)
    {
        await using var db = bed.Database.CreateContext();
        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == endpointId);
        var webhookEvent = new WebhookEvent { AccountId = endpoint.AccountId, Name = WebhookEvents.KeyRotated, DataJson = "{}", OccurredAt = occurredAt, FannedOutAt = occurredAt };
        var delivery = WebhookDispatcher.NewDelivery(webhookEvent, endpoint, bed.Clock.GetUtcNow().UtcDateTime);
        db.WebhookEvents.Add(webhookEvent);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery.Id;
    }

    private static bool LibraryVerifies(string secret, TestReceiver.Request request)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = request.Id,
            ["webhook-timestamp"] = request.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = request.Signature,
        };
        try
        {
            new StandardWebhooks.StandardWebhook(secret).Verify(Encoding.UTF8.GetString(request.Body), headers);
            return true;
        }
        catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
        {
            return false;
        }
    }
}
