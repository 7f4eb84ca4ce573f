using System.Collections.Concurrent;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Delivers the outbox. Each pass fans new events out into deliveries (one per subscribed endpoint,
/// stored before any attempt), then starts the due deliveries, each under a lease so a crashed
/// worker's delivery is simply taken up again. Attempts run in the background, bounded overall (per instance) and per endpoint
/// (over all instances, with the endpoint's throttle: <see cref="WebhookThrottle"/>), and picked fairly across endpoints
/// (<see cref="StartDueAsync"/>), so one slow receiver never holds up the others. A host calls
/// <see cref="DispatchAsync"/> on a timer and <see cref="StopAsync"/> on shutdown.
/// </summary>
public sealed class WebhookDispatcher(
    IDbContextFactory<ControlPanelDbContext> databases, IHttpClientFactory httpClients, WebhookSecrets secrets,
    IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatcher> logger)
{
    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _turn = -1;

    private readonly WebhookSender _sender = new(httpClients, secrets, clock);

    /// <summary>Attempts in flight now.</summary>
    public int InFlight => _running.Count;

    /// <summary>One pass: fans out new events, then starts due deliveries. Returns the number of attempts started.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken = default)
    {
        await FanOutAsync(cancellationToken);
        return await StartDueAsync(cancellationToken);
    }

    /// <summary>Completes when every attempt started so far has finished and been recorded.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    /// <summary>Cancels attempts in flight and hands their deliveries back unchanged, for the next start to resume.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await WhenIdleAsync();
    }

    internal static WebhookDelivery NewDelivery(WebhookEvent webhookEvent, WebhookEndpoint endpoint, DateTime now) => new()
    {
        EventId = webhookEvent.Id,
        EndpointId = endpoint.Id,
        AccountId = webhookEvent.AccountId,
        EventName = webhookEvent.Name,
        Status = WebhookDeliveryStatus.Pending,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>Creates deliveries for events not yet fanned out; internal so tests can fan out without attempting.</summary>
    internal async Task FanOutAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var events = await db.WebhookEvents.AsNoTracking().Where(e => e.FannedOutAt == null)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(200).ToListAsync(cancellationToken);
        if (events.Count == 0) return;
        var accountIds = events.Select(e => e.AccountId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => accountIds.Contains(e.AccountId) && e.IsEnabled).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;

        // Every instance runs this pass. Each event is claimed by a conditional update inside the
        // transaction that adds its deliveries, so exactly one instance fans it out and the others
        // skip it instead of failing on the unique index; claims go in one order, so two instances
        // never wait on each other in a cycle.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var webhookEvent in events)
        {
            var claimed = await db.WebhookEvents.Where(e => e.Id == webhookEvent.Id && e.FannedOutAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.FannedOutAt, now), cancellationToken);
            if (claimed == 0) continue;
            foreach (var endpoint in endpoints.Where(e => e.AccountId == webhookEvent.AccountId && e.Subscribes(webhookEvent.Name)))
                db.WebhookDeliveries.Add(NewDelivery(webhookEvent, endpoint, now));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Starts due deliveries fairly: endpoints with due work take turns, one delivery each per round (the first turn moving on
    /// every pass), each up to its free concurrency and its throttle, until the overall bound is reached. An endpoint with
    /// thousands due, or one whose receiver never answers, so fills only its own slots and delays only itself.
    /// </summary>
    private async Task<int> StartDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var free = settings.MaxConcurrency - _running.Count;
        if (free <= 0 || _stopping.IsCancellationRequested) return 0;

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var waiting = await Due(db, now).GroupBy(d => d.EndpointId)
            .Select(g => new { EndpointId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        ControlPanelMetrics.RecordDueDeliveries(waiting.Sum(w => w.Count));
        if (waiting.Count == 0) return 0;

        var endpointIds = waiting.Select(w => w.EndpointId).ToList();
        // Deleted and disabled endpoints included: their due deliveries start, to be ended as not sent.
        var standings = await db.WebhookEndpoints.AsNoTracking().IgnoreQueryFilters().Where(e => endpointIds.Contains(e.Id))
            .Select(WebhookThrottle.Read).ToDictionaryAsync(e => e.EndpointId, cancellationToken);
        var turns = waiting
            .Where(w => standings.ContainsKey(w.EndpointId))
            .OrderBy(w => w.EndpointId)
            .Select(w => new Turn(standings[w.EndpointId], Math.Min(w.Count, standings[w.EndpointId].Room(now, settings))))
            .ToList();
        if (turns.Count == 0) return 0;
        var first = (int)(unchecked((uint)Interlocked.Increment(ref _turn)) % (uint)turns.Count);
        ShareOut(turns, first, free);

        var started = 0;
        foreach (var turn in turns.Where(t => t.Taken > 0))
        {
            var endpointId = turn.Endpoint.EndpointId;
            var ids = await Due(db, now).Where(d => d.EndpointId == endpointId)
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.CreatedAt)
                .Take(turn.Taken).Select(d => d.Id).ToListAsync(cancellationToken);
            foreach (var id in ids)
            {
                var start = await TryStartAsync(db, id, turn.Endpoint, settings, cancellationToken);
                if (start == Start.Started) started++;
                // Other instances took the endpoint's room since this pass read it; the next pass reads it again.
                else if (start == Start.EndpointFull) break;
            }
        }
        return started;
    }

    /// <summary>One endpoint's share of a pass: how many it could start (<see cref="Room"/>) and how many it got.</summary>
    private sealed record Turn(WebhookThrottle.Standing Endpoint, int Room)
    {
        public int Taken { get; set; }
    }

    private enum Start { Started, Taken, EndpointFull }

    /// <summary>Hands out <paramref name="free"/> slots one at a time round the endpoints, starting at <paramref name="first"/>.</summary>
    private static void ShareOut(List<Turn> turns, int first, int free)
    {
        var handedOut = true;
        while (free > 0 && handedOut)
        {
            handedOut = false;
            for (var i = 0; i < turns.Count && free > 0; i++)
            {
                var turn = turns[(first + i) % turns.Count];
                if (turn.Taken >= turn.Room) continue;
                turn.Taken++;
                free--;
                handedOut = true;
            }
        }
    }

    private async Task<Start> TryStartAsync(ControlPanelDbContext db, Guid deliveryId, WebhookThrottle.Standing endpoint, WebhookOptions settings, CancellationToken cancellationToken)
    {
        if (_running.ContainsKey(deliveryId)) return Start.Taken;
        // The lease is taken in the database, so a second worker (or instance) never attempts the same delivery at once.
        var now = clock.GetUtcNow().UtcDateTime;
        var leasedUntil = now + settings.Lease;
        var leased = await Due(db, now).Where(d => d.Id == deliveryId)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeasedUntil, leasedUntil), cancellationToken);
        if (leased == 0) return Start.Taken;

        // The delivery first, the endpoint's slot second: instances racing for one delivery spend no slot on it but the winner's.
        // The time is read again, so the throttle counts the start from when it is claimed, not from before the lease.
        var endpointId = endpoint.EndpointId;
        if (!await WebhookThrottle.TryStartAsync(db, endpointId, clock.GetUtcNow().UtcDateTime, settings.ThrottleFor(endpoint.OwnerPerSecond),
                settings.MaxConcurrencyPerEndpoint, leasedUntil, CancellationToken.None))
        {
            // Handed back at once for the next pass: the lease just taken is this worker's, and no one else's until it runs out.
            await db.WebhookDeliveries.Where(d => d.Id == deliveryId)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeasedUntil, (DateTime?)null), CancellationToken.None);
            return Start.EndpointFull;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _running[deliveryId] = done.Task;
        _ = Task.Run(async () =>
        {
            try { await AttemptAsync(deliveryId); }
            catch (Exception e) { logger.LogError(e, "Webhook delivery {DeliveryId}: the attempt could not be recorded; it is retried when its lease ends.", deliveryId); }
            finally
            {
                await FinishedAsync(endpointId);
                _running.TryRemove(deliveryId, out _);
                done.SetResult();
            }
        }, CancellationToken.None);
        return Start.Started;
    }

    /// <summary>Frees the endpoint's slot after an attempt, however it ended.</summary>
    private async Task FinishedAsync(Guid endpointId)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            await WebhookThrottle.FinishedAsync(db, endpointId, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The slot is then freed when the attempt's lease runs out, as a crashed instance's is.
            logger.LogWarning(e, "Webhook endpoint {EndpointId}: could not free an attempt's slot.", endpointId);
        }
    }

    private static IQueryable<WebhookDelivery> Due(ControlPanelDbContext db, DateTime now) =>
        db.WebhookDeliveries.Where(d =>
            (d.Status == WebhookDeliveryStatus.Pending || d.Status == WebhookDeliveryStatus.Retrying)
            && d.NextAttemptAt <= now
            && (d.LeasedUntil == null || d.LeasedUntil < now));

    private async Task AttemptAsync(Guid deliveryId)
    {
        var settings = options.Value;
        var stopping = _stopping.Token;
        WebhookDelivery? delivery;
        await using (var db = await databases.CreateDbContextAsync(stopping))
            // Deleted endpoints included, so a delivery that was under way when its endpoint was deleted ends as failed below.
            delivery = await db.WebhookDeliveries.AsNoTracking().IgnoreQueryFilters().Include(d => d.Event).Include(d => d.Endpoint)
                .SingleOrDefaultAsync(d => d.Id == deliveryId, stopping);
        if (delivery?.Event is not { } webhookEvent || delivery.Endpoint is not { } endpoint) return;

        if (endpoint.DeletedAt is not null)
        {
            await FinishUnattemptedAsync(deliveryId, WebhookEndpoint.DeletedReason);
            return;
        }

        if (!endpoint.IsEnabled)
        {
            await FinishUnattemptedAsync(deliveryId, "Not sent: the endpoint is disabled.");
            return;
        }

        var startedAt = clock.GetUtcNow().UtcDateTime;
        var startedTimestamp = clock.GetTimestamp();
        WebhookSender.AttemptResult result;
        try
        {
            result = await _sender.SendAsync(delivery, webhookEvent, endpoint, settings, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down mid-attempt: no attempt is recorded and the delivery is due again at once on the next start.
            await ReleaseAsync(deliveryId);
            return;
        }
        var duration = clock.GetElapsedTime(startedTimestamp);
        await RecordAsync(deliveryId, startedAt, duration, result, settings);
    }

    private async Task RecordAsync(Guid deliveryId, DateTime startedAt, TimeSpan duration, WebhookSender.AttemptResult result, WebhookOptions settings)
    {
        // Recorded even while shutting down: the attempt happened.
        await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, CancellationToken.None);
        if (delivery is null) return;
        ControlPanelMetrics.RecordWebhookAttempt(result.Outcome, duration);
        var now = clock.GetUtcNow().UtcDateTime;
        delivery.Attempts++;
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            DeliveryId = delivery.Id,
            EndpointId = delivery.EndpointId,
            Number = delivery.Attempts,
            StartedAt = startedAt,
            DurationMs = (int)Math.Min(int.MaxValue, Math.Round(duration.TotalMilliseconds)),
            HttpStatus = result.HttpStatus,
            Outcome = result.Outcome,
            ResponseBody = string.IsNullOrEmpty(result.ResponseBody) ? null : result.ResponseBody,
            Error = result.Error is null ? null : WebhookOutbox.Truncate(result.Error, WebhookAttempt.ErrorMaxLength),
        });
        delivery.LastAttemptAt = startedAt;
        delivery.LastHttpStatus = result.HttpStatus;
        delivery.LastError = result.Error is null ? null : WebhookOutbox.Truncate(result.Error, WebhookDelivery.ErrorMaxLength);
        delivery.LeasedUntil = null;
        if (result.Outcome == WebhookAttemptOutcome.Delivered)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
            delivery.NextAttemptAt = null;
        }
        else if (delivery.Attempts >= (delivery.AttemptLimit ?? settings.MaxAttempts))
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            delivery.NextAttemptAt = null;
        }
        else
        {
            delivery.Status = WebhookDeliveryStatus.Retrying;
            delivery.NextAttemptAt = now + settings.RetryInterval;
        }
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogDebug("Webhook delivery {DeliveryId} attempt {Attempt}: {Outcome} → {Status}", deliveryId, delivery.Attempts, result.Outcome, delivery.Status);

        var endpoints = db.WebhookEndpoints.Where(e => e.Id == delivery.EndpointId);
        if (result.Outcome == WebhookAttemptOutcome.Delivered)
        {
            await endpoints.Where(e => e.FailingSince != null)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.FailingSince, (DateTime?)null), CancellationToken.None);
            return;
        }
        await endpoints.Where(e => e.FailingSince == null)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.FailingSince, startedAt), CancellationToken.None);
        if (delivery.Status == WebhookDeliveryStatus.Failed && await LastDeliveriesAllFailedAsync(db, delivery.EndpointId, settings.DisableAfterFailedDeliveries))
        {
            var limit = settings.DisableAfterFailedDeliveries;
            await DisableAsync(db, endpoints, $"its last {limit} deliveries all failed", $"its last {limit} deliveries all failed, each after all its retries", now);
        }
        else if (settings.DisableAfterFailingFor > TimeSpan.Zero)
        {
            var failingSince = now - settings.DisableAfterFailingFor;
            var days = settings.DisableAfterFailingFor.TotalDays.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
            await DisableAsync(db, endpoints.Where(e => e.FailingSince <= failingSince),
                $"every attempt failed for {days} days", $"every attempt to it has failed for {days} days", now);
        }
    }

    /// <summary>True when the endpoint's last <paramref name="limit"/> finished deliveries all failed (0 never).</summary>
    private static async Task<bool> LastDeliveriesAllFailedAsync(ControlPanelDbContext db, Guid endpointId, int limit)
    {
        if (limit == 0) return false;
        var last = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.EndpointId == endpointId && (d.Status == WebhookDeliveryStatus.Delivered || d.Status == WebhookDeliveryStatus.Failed))
            .OrderByDescending(d => d.LastAttemptAt).ThenByDescending(d => d.CreatedAt)
            .Take(limit).Select(d => d.Status).ToListAsync(CancellationToken.None);
        return last.Count == limit && last.All(status => status == WebhookDeliveryStatus.Failed);
    }

    /// <summary>
    /// Disables the endpoint <paramref name="endpoint"/> selects if it is still enabled, with an audit entry and a notice to the
    /// account's owners saved in the same transaction. The condition is part of the update, so two instances finishing deliveries
    /// of one endpoint at once disable it (and tell the owners) once.
    /// </summary>
    private async Task DisableAsync(ControlPanelDbContext db, IQueryable<WebhookEndpoint> endpoint, string auditReason, string noticeReason, DateTime now)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var disabled = await endpoint.Where(e => e.IsEnabled)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.IsEnabled, false).SetProperty(e => e.DisabledAt, now), CancellationToken.None);
        if (disabled == 0) return;
        var row = await endpoint.AsNoTracking().SingleAsync(CancellationToken.None);
        AuditLog.Record(db, DeliveryWorker, now, AuditActions.WebhookEndpointDisabled, row.AccountId, null, $"{row.Url} disabled: {auditReason}");
        await Notices.AddAsync(db, row.AccountId, NoticeKind.WebhookEndpointDisabled, MailKinds.WebhookEndpointDisabled,
            name => MailTemplates.WebhookEndpointDisabled(name, row.Url, noticeReason, now), now);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        logger.LogWarning("Webhook endpoint {EndpointId} disabled: {Reason}.", row.Id, auditReason);
    }

    /// <summary>Who the audit log names for what the delivery worker decides on its own.</summary>
    private static readonly Viewer DeliveryWorker = Viewer.System("Webhook delivery");

    private async Task FinishUnattemptedAsync(Guid deliveryId, string reason)
    {
        await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
        await db.WebhookDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed)
            .SetProperty(d => d.NextAttemptAt, (DateTime?)null)
            .SetProperty(d => d.LeasedUntil, (DateTime?)null)
            .SetProperty(d => d.LastError, reason), CancellationToken.None);
    }

    private async Task ReleaseAsync(Guid deliveryId)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            await db.WebhookDeliveries.Where(d => d.Id == deliveryId)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeasedUntil, (DateTime?)null), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The lease then runs out by itself.
            logger.LogWarning(e, "Webhook delivery {DeliveryId}: could not release its lease on shutdown.", deliveryId);
        }
    }
}
