using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Idempotency;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Data;

/// <summary>
/// Deletes history past its retention: webhook events, deliveries and attempts after the
/// <see cref="WebhookOptions"/> periods, and audit entries after <see cref="AuditOptions.RetentionDays"/>
/// (0, the default, keeps them forever), sent or given-up mails after <see cref="EmailOptions.HistoryRetentionDays"/>, and
/// the answers of idempotent requests (<see cref="IdempotentRequests"/>) past their <see cref="AccessTokenOptions.IdempotencyWindow"/>, and ended or idle browser sign-ins
/// (<see cref="SignIns.ForgetOldAsync"/>). Rows go in batches of <see cref="BatchSize"/>, each its own
/// statement, so a first run over a large backlog never holds the write lock for long.
/// </summary>
public sealed class HistoryRetention(
    IDbContextFactory<ControlPanelDbContext> databases, IOptions<WebhookOptions> webhookOptions, IOptions<AuditOptions> auditOptions, TimeProvider clock,
    IOptions<EmailOptions>? emailOptions = null)
{
    public const int BatchSize = 500;

    public sealed record Deleted(int Events, int Deliveries, int Attempts, int AuditEntries, int Mails = 0, int IdempotentRequests = 0, int SignIns = 0)
    {
        public int Total => Events + Deliveries + Attempts + AuditEntries + Mails + IdempotentRequests + SignIns;
    }

    public async Task<Deleted> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var webhooks = webhookOptions.Value;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);

        // An event goes with its deliveries and their attempts, but never while one of them still waits for an attempt.
        var eventCutoff = now.AddDays(-webhooks.EventRetentionDays);
        var events = await InBatchesAsync(() => db.WebhookEvents
            .Where(e => e.OccurredAt < eventCutoff && e.FannedOutAt != null
                && !db.WebhookDeliveries.Any(d => d.EventId == e.Id && d.Status != WebhookDeliveryStatus.Delivered && d.Status != WebhookDeliveryStatus.Failed))
            .OrderBy(e => e.OccurredAt).Select(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken),
            async ids =>
            {
                await DeleteDeliveriesAsync(db, await db.WebhookDeliveries.Where(d => ids.Contains(d.EventId)).Select(d => d.Id).ToListAsync(cancellationToken), cancellationToken);
                return await db.WebhookEvents.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            }, cancellationToken);

        var deliveryCutoff = now.AddDays(-webhooks.DeliveryRetentionDays);
        var deliveries = await InBatchesAsync(() => db.WebhookDeliveries
            .Where(d => d.CreatedAt < deliveryCutoff && (d.Status == WebhookDeliveryStatus.Delivered || d.Status == WebhookDeliveryStatus.Failed))
            .OrderBy(d => d.CreatedAt).Select(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken),
            ids => DeleteDeliveriesAsync(db, ids, cancellationToken), cancellationToken);

        var attemptCutoff = now.AddDays(-webhooks.AttemptRetentionDays);
        var attempts = await InBatchesAsync(() => db.WebhookAttempts.Where(a => a.StartedAt < attemptCutoff)
            .OrderBy(a => a.Id).Select(a => a.Id).Take(BatchSize).ToListAsync(cancellationToken),
            ids => db.WebhookAttempts.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken), cancellationToken);

        var auditEntries = 0;
        if (auditOptions.Value.RetentionDays > 0)
        {
            var auditCutoff = now.AddDays(-auditOptions.Value.RetentionDays);
            auditEntries = await InBatchesAsync(() => db.AuditEntries.Where(e => e.At < auditCutoff)
                .OrderBy(e => e.Id).Select(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken),
                ids => db.AuditEntries.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken), cancellationToken);
        }
        // Sent or given-up mails (their bodies are gone already) after Email:HistoryRetentionDays; waiting ones never.
        var mails = 0;
        if (emailOptions?.Value is { } email)
        {
            var mailCutoff = now.AddDays(-email.HistoryRetentionDays);
            mails = await InBatchesAsync(() => db.OutboxMails.Where(m => m.CreatedAt < mailCutoff && (m.SentAt != null || m.FailedAt != null))
                .OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken),
                ids => db.OutboxMails.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken), cancellationToken);
        }
        // Each row lives one idempotency window (a day by default), so the expired ones are few: one statement.
        var idempotentRequests = await db.IdempotentRequests.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var signIns = await SignIns.ForgetOldAsync(db, now, cancellationToken);
        return new Deleted(events, deliveries, attempts, auditEntries, mails, idempotentRequests, signIns);
    }

    /// <summary>Deletes the deliveries and their attempts (attempts first: no reliance on the database's cascade); returns the deliveries deleted.</summary>
    private static async Task<int> DeleteDeliveriesAsync(ControlPanelDbContext db, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return 0;
        await db.WebhookAttempts.Where(a => ids.Contains(a.DeliveryId)).ExecuteDeleteAsync(cancellationToken);
        return await db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Takes a batch of ids and deletes it until a batch comes back short; returns the rows deleted.</summary>
    private static async Task<int> InBatchesAsync<TId>(Func<Task<List<TId>>> nextBatch, Func<List<TId>, Task<int>> delete, CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = await nextBatch();
            if (ids.Count == 0) return deleted;
            deleted += await delete(ids);
            if (ids.Count < BatchSize) return deleted;
        }
    }
}
