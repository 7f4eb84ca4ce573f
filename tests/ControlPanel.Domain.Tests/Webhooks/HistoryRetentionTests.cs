using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>Webhook history and the audit log are deleted after their configured retention; nothing newer, and no delivery still waiting.</summary>
public sealed class HistoryRetentionTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);

    private sealed record Seeded(Guid OldEvent, Guid OldDelivery, Guid WaitingEvent, Guid WaitingDelivery, Guid RecentEvent, Guid RecentDelivery, Guid OldDeliveryOfRecentEvent);

    /// <summary>Events, deliveries and attempts of several ages on one endpoint, and audit entries 400 and 1 days old.</summary>
    private static async Task<Seeded> SeedAsync(WebhookTestBed bed)
    {
        var endpoint = (await bed.AddEndpointAsync("https://hooks.example.test/h", WebhookEvents.ChatEnded)).EndpointId;
        var endpoint2 = (await bed.AddEndpointAsync("https://hooks.example.test/h2", WebhookEvents.ChatEnded)).EndpointId;
        await using var db = bed.Database.CreateContext();
        WebhookEvent Event(int daysAgo)
        {
            var e = new WebhookEvent { AccountId = bed.AcmeId, Name = WebhookEvents.ChatEnded, DataJson = "{}", OccurredAt = Now.AddDays(-daysAgo), FannedOutAt = Now.AddDays(-daysAgo) };
            db.WebhookEvents.Add(e);
            return e;
        }
        WebhookDelivery Delivery(WebhookEvent e, Guid endpointId, int daysAgo, WebhookDeliveryStatus status)
        {
            var d = new WebhookDelivery { EventId = e.Id, EndpointId = endpointId, AccountId = bed.AcmeId, EventName = e.Name, Status = status, CreatedAt = Now.AddDays(-daysAgo) };
            db.WebhookDeliveries.Add(d);
            db.WebhookAttempts.Add(new WebhookAttempt { DeliveryId = d.Id, EndpointId = endpointId, Number = 1, StartedAt = Now.AddDays(-daysAgo), Outcome = WebhookAttemptOutcome.HttpError });
            return d;
        }
        var oldEvent = Event(40);
        var oldDelivery = Delivery(oldEvent, endpoint, 40, WebhookDeliveryStatus.Delivered);
        var waitingEvent = Event(40);
        var waitingDelivery = Delivery(waitingEvent, endpoint, 40, WebhookDeliveryStatus.Retrying);
        var recentEvent = Event(2);
        var recentDelivery = Delivery(recentEvent, endpoint, 2, WebhookDeliveryStatus.Failed);
        // A finished delivery past its own (shorter) retention, of an event still kept.
        var oldDeliveryOfRecentEvent = Delivery(recentEvent, endpoint2, 9, WebhookDeliveryStatus.Delivered);
        foreach (var daysAgo in new[] { 400, 1 })
            db.AuditEntries.Add(new AuditEntry { At = Now.AddDays(-daysAgo), ActorUserId = "u", ActorName = "U", Action = AuditActions.KeysRotated, Changes = $"{daysAgo} days ago" });
        await db.SaveChangesAsync();
        return new Seeded(oldEvent.Id, oldDelivery.Id, waitingEvent.Id, waitingDelivery.Id, recentEvent.Id, recentDelivery.Id, oldDeliveryOfRecentEvent.Id);
    }

    private static HistoryRetention Retention(WebhookTestBed bed, WebhookOptions webhooks, AuditOptions audit) =>
        new(bed.Database.Factory, Options.Create(webhooks), Options.Create(audit), bed.Clock);

    [Fact]
    public async Task Old_webhook_history_goes_recent_and_waiting_stays_and_the_audit_log_is_kept_by_default()
    {
        await using var bed = await WebhookTestBed.CreateAsync(clock: new FakeTimeProvider(Now));
        var seeded = await SeedAsync(bed);
        var options = WebhookTestBed.FastOptions();
        options.EventRetentionDays = 30;
        options.DeliveryRetentionDays = 7;
        options.AttemptRetentionDays = 30;

        var deleted = await Retention(bed, options, new AuditOptions()).DeleteExpiredAsync();

        await using var db = bed.Database.CreateContext();
        var events = await db.WebhookEvents.Where(e => e.Name == WebhookEvents.ChatEnded).Select(e => e.Id).ToListAsync();
        Assert.Equivalent(new[] { seeded.WaitingEvent, seeded.RecentEvent }, events);
        var deliveries = await db.WebhookDeliveries.Select(d => d.Id).ToListAsync();
        Assert.Equivalent(new[] { seeded.WaitingDelivery, seeded.RecentDelivery }, deliveries);
        // Attempts went with their deliveries; the waiting delivery's 40-day-old attempt is past the attempt retention.
        Assert.Equal([seeded.RecentDelivery], await db.WebhookAttempts.Select(a => a.DeliveryId).ToListAsync());
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.KeysRotated));
        Assert.Equal(new HistoryRetention.Deleted(1, 1, 1, 0), deleted);

        // A second pass finds nothing more.
        Assert.Equal(0, (await Retention(bed, options, new AuditOptions()).DeleteExpiredAsync()).Total);
    }

    [Fact]
    public async Task Audit_entries_go_after_their_retention_when_one_is_set()
    {
        await using var bed = await WebhookTestBed.CreateAsync(clock: new FakeTimeProvider(Now));
        await SeedAsync(bed);
        var deleted = await Retention(bed, WebhookTestBed.FastOptions(), new AuditOptions { RetentionDays = 365 }).DeleteExpiredAsync();

        await using var db = bed.Database.CreateContext();
        Assert.Equal(["1 days ago"], await db.AuditEntries.Where(e => e.Action == AuditActions.KeysRotated).Select(e => e.Changes).ToListAsync());
        Assert.Equal(1, deleted.AuditEntries);
    }

    [Fact]
    public async Task A_backlog_larger_than_a_batch_is_deleted_in_full()
    {
        await using var bed = await WebhookTestBed.CreateAsync(clock: new FakeTimeProvider(Now));
        await using (var db = bed.Database.CreateContext())
        {
            for (var i = 0; i < HistoryRetention.BatchSize * 2 + 7; i++)
                db.WebhookEvents.Add(new WebhookEvent { AccountId = bed.AcmeId, Name = WebhookEvents.OfflineMessage, DataJson = "{}", OccurredAt = Now.AddDays(-100), FannedOutAt = Now.AddDays(-100) });
            await db.SaveChangesAsync();
        }
        var deleted = await Retention(bed, WebhookTestBed.FastOptions(), new AuditOptions()).DeleteExpiredAsync();
        Assert.Equal(HistoryRetention.BatchSize * 2 + 7, deleted.Events);
        await using var check = bed.Database.CreateContext();
        Assert.Equal(0, await check.WebhookEvents.CountAsync(e => e.Name == WebhookEvents.OfflineMessage));
    }
}
