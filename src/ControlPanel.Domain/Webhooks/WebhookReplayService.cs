using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Replays an endpoint's events of a time range: each delivery it had is queued again with its own id (so the receiver's
/// <c>webhook-id</c> is the one it saw, and it de-duplicates), and, unless only failed ones are asked for, events it missed
/// while disabled get their first delivery. The dispatcher sends them at the endpoint's throttle; progress is read from the
/// deliveries, and a cancel hands back those not yet attempted. Started and cancelled replays are audited.
/// </summary>
public sealed class WebhookReplayService(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock)
{
    public sealed class Form
    {
        /// <summary>Events that occurred at or after this time (UTC).</summary>
        [Required(ErrorMessage = "Choose since when to replay.")]
        public DateTime? Since { get; set; }

        /// <summary>And before this time (UTC); blank: until now.</summary>
        public DateTime? Until { get; set; }

        /// <summary>Only deliveries that failed; otherwise every event, delivered ones and missed ones too.</summary>
        public bool FailedOnly { get; set; }
    }

    public sealed record Progress(
        Guid Id, Guid EndpointId, DateTime Since, DateTime? Until, bool FailedOnly, int Total, int Done, int Failed,
        DateTime CreatedAt, string CreatedBy, DateTime? CancelledAt)
    {
        public bool IsRunning => CancelledAt is null && Done < Total;
        public int Percent => Total == 0 ? 100 : (int)(100L * Done / Total);
    }

    /// <summary>Queues the range again; refuses a disabled endpoint, a range in the future or one with nothing in it.</summary>
    public async Task<Progress> StartAsync(Viewer viewer, Guid endpointId, Form form, CancellationToken cancellationToken = default)
    {
        FormValidation.ThrowIfInvalid(form);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FindForChangeAsync(viewer, e => e.Id == endpointId);
        if (!endpoint.IsEnabled) throw new ValidationException("Enable the endpoint before replaying to it.");
        var now = clock.GetUtcNow().UtcDateTime;
        var since = DateTime.SpecifyKind(form.Since!.Value, DateTimeKind.Utc);
        var until = form.Until is { } u ? DateTime.SpecifyKind(u, DateTimeKind.Utc) : (DateTime?)null;
        if (since > now) throw Invalid("Choose a start in the past.", nameof(Form.Since));
        if (until <= since) throw Invalid("The end must be after the start.", nameof(Form.Until));

        var replay = new WebhookReplay
        {
            EndpointId = endpoint.Id,
            AccountId = endpoint.AccountId,
            Since = since,
            Until = until,
            FailedOnly = form.FailedOnly,
            CreatedAt = now,
            CreatedBy = viewer.Name,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sent = db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id
            && d.Event!.OccurredAt >= since && (until == null || d.Event.OccurredAt < until)
            && (d.Status == WebhookDeliveryStatus.Failed || (!form.FailedOnly && d.Status == WebhookDeliveryStatus.Delivered)));
        // Each gets one more attempt; one still on its way is left to its own schedule.
        var requeued = await sent.ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Status, WebhookDeliveryStatus.Pending)
            .SetProperty(d => d.AttemptLimit, d => d.Attempts + 1)
            .SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.ReplayId, replay.Id), cancellationToken);

        var missed = 0;
        if (!form.FailedOnly)
        {
            var subscribed = endpoint.EventList.ToList();
            var events = await db.WebhookEvents.AsNoTracking()
                .Where(e => e.AccountId == endpoint.AccountId && e.FannedOutAt != null && subscribed.Contains(e.Name)
                    && e.OccurredAt >= since && (until == null || e.OccurredAt < until)
                    && !db.WebhookDeliveries.Any(d => d.EventId == e.Id && d.EndpointId == endpoint.Id))
                .ToListAsync(cancellationToken);
            foreach (var webhookEvent in events)
            {
                var delivery = WebhookDispatcher.NewDelivery(webhookEvent, endpoint, now);
                delivery.ReplayId = replay.Id;
                db.WebhookDeliveries.Add(delivery);
            }
            missed = events.Count;
        }
        replay.Total = requeued + missed;
        if (replay.Total == 0) throw Invalid("No events to replay in that range.", nameof(Form.Since));
        db.WebhookReplays.Add(replay);
        AuditLog.Record(db, viewer, now, AuditActions.WebhookReplayStarted, endpoint.AccountId, null,
            $"{endpoint.Url}: replay of {(form.FailedOnly ? "failed deliveries" : "every event")} since {Utc(since)}{(until is { } end ? $" until {Utc(end)}" : "")}: "
            + $"{requeued} sent again, {missed} missed");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await ProgressAsync(db, replay);
    }

    /// <summary>The endpoint's most recent replay, or null when it has had none.</summary>
    public async Task<Progress?> LatestAsync(Viewer viewer, Guid endpointId)
    {
        await using var db = await databases.CreateDbContextAsync();
        await db.WebhookEndpoints.AsNoTracking().FindForReadAsync(viewer, e => e.Id == endpointId);
        var replay = await db.WebhookReplays.AsNoTracking().Where(r => r.EndpointId == endpointId)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync();
        return replay is null ? null : await ProgressAsync(db, replay);
    }

    public async Task<Progress> GetAsync(Viewer viewer, Guid replayId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var replay = await db.WebhookReplays.AsNoTracking().FindForReadAsync(viewer, r => r.Id == replayId);
        return await ProgressAsync(db, replay);
    }

    /// <summary>Stops a replay: its deliveries not yet attempted go back to what they were (delivered or failed). Audited.</summary>
    public async Task<Progress> CancelAsync(Viewer viewer, Guid replayId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var replay = await db.WebhookReplays.FindForChangeAsync(viewer, r => r.Id == replayId);
        if (replay.CancelledAt is not null) return await ProgressAsync(db, replay);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        // A delivery whose attempt is under way (leased) finishes it; the rest are handed back unsent.
        var waiting = db.WebhookDeliveries.Where(d => d.ReplayId == replay.Id && d.Status == WebhookDeliveryStatus.Pending
            && (d.LeasedUntil == null || d.LeasedUntil < now));
        var handedBack = await waiting.ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Status, d => d.DeliveredAt != null ? WebhookDeliveryStatus.Delivered : WebhookDeliveryStatus.Failed)
            .SetProperty(d => d.NextAttemptAt, (DateTime?)null)
            .SetProperty(d => d.AttemptLimit, (int?)null)
            .SetProperty(d => d.LastError, d => d.Attempts == 0 ? "Not sent: the replay was cancelled." : d.LastError));
        replay.CancelledAt = now;
        var url = await db.WebhookEndpoints.Where(e => e.Id == replay.EndpointId).Select(e => e.Url).SingleAsync();
        AuditLog.Record(db, viewer, now, AuditActions.WebhookReplayCancelled, replay.AccountId, null,
            $"{url}: replay of {replay.CreatedAt:yyyy-MM-dd HH:mm} UTC cancelled; {handedBack} not sent");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return await ProgressAsync(db, replay);
    }

    private static async Task<Progress> ProgressAsync(ControlPanelDbContext db, WebhookReplay replay)
    {
        var counts = await db.WebhookDeliveries.Where(d => d.ReplayId == replay.Id)
            .GroupBy(d => d.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync();
        var underway = counts.Where(c => c.Status is WebhookDeliveryStatus.Pending or WebhookDeliveryStatus.Retrying).Sum(c => c.Count);
        var failed = counts.Where(c => c.Status == WebhookDeliveryStatus.Failed).Sum(c => c.Count);
        return new Progress(replay.Id, replay.EndpointId, replay.Since, replay.Until, replay.FailedOnly, replay.Total,
            Math.Max(0, replay.Total - underway), failed, replay.CreatedAt, replay.CreatedBy, replay.CancelledAt);
    }

    private static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC";

    private static ValidationException Invalid(string message, string member) => new(new ValidationResult(message, [member]), null, null);
}
