using ControlPanel.Domain.Webhooks;
using System.Collections.Concurrent;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Quotas;

/// <summary>
/// Counted calls per application this calendar month (UTC), in memory: the request check counts
/// and refuses here without a database call. Filled at start from the usage table. Crossing a
/// notification threshold queues a <see cref="QuotaNotification"/>, once per threshold per month;
/// the host writes the queue with the usage flush.
/// </summary>
/// <remarks>
/// Admission is exact under concurrency (compare-and-swap on one counter per application), so no
/// more than quota + allowance calls are allowed in a month.
/// </remarks>
public sealed class QuotaLedger(IDbContextFactory<ControlPanelDbContext> databases, IOptions<ApiOptions> options, TimeProvider clock)
{
    private const int OverrunBit = 1 << 30;

    private readonly ConcurrentDictionary<Guid, MonthCounter> _counters = new();
    private readonly ConcurrentQueue<QuotaNotification> _pending = new();
    private readonly int[] _thresholds = [.. options.Value.NotificationThresholds];

    /// <summary>The state without counting a call (for calls that do not count towards the quota).</summary>
    public QuotaState Peek(ApplicationState application, DateTime now)
    {
        var counter = CounterFor(application.Id, QuotaState.MonthStart(now));
        return State(application, counter, Volatile.Read(ref counter.Used));
    }

    /// <summary>Counts one call; false when quota and overrun allowance are used up (the call is not counted then).</summary>
    public bool TryCount(ApplicationState application, DateTime now, out QuotaState state)
    {
        var counter = CounterFor(application.Id, QuotaState.MonthStart(now));
        var ceiling = application.MonthlyQuota + application.OverrunAllowance;
        long used;
        while (true)
        {
            used = Volatile.Read(ref counter.Used);
            if (used >= ceiling)
            {
                state = State(application, counter, used);
                return false;
            }
            if (Interlocked.CompareExchange(ref counter.Used, used + 1, used) == used) break;
        }
        var newUsed = used + 1;
        NotifyCrossings(application, counter, newUsed, now);
        state = State(application, counter, newUsed);
        return true;
    }

    /// <summary>Notifications queued since the last call, for the host to store.</summary>
    public List<QuotaNotification> TakePending()
    {
        var taken = new List<QuotaNotification>();
        while (_pending.TryDequeue(out var notification)) taken.Add(notification);
        return taken;
    }

    /// <summary>Writes queued notifications; one already stored for the same threshold and month is skipped.</summary>
    public async Task FlushNotificationsAsync(CancellationToken cancellationToken = default)
    {
        var batch = TakePending();
        if (batch.Count == 0) return;
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var n in batch)
            {
                var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "QuotaNotifications" ("ApplicationId", "AccountId", "Month", "Kind", "Percent", "At", "Used", "Quota")
                    VALUES ({n.ApplicationId}, {n.AccountId}, {n.Month}, {n.Kind.ToString()}, {n.Percent}, {n.At}, {n.Used}, {n.Quota})
                    ON CONFLICT ("ApplicationId", "Month", "Kind", "Percent") DO NOTHING
                    """, cancellationToken);
                // A new notification is also a webhook event, saved in the same transaction (another instance may have stored it first).
                if (inserted == 1)
                    WebhookOutbox.Enqueue(db, n.AccountId, n.ApplicationId,
                        n.Kind == QuotaNotificationKind.Overrun ? WebhookEvents.QuotaExceeded : WebhookEvents.QuotaThresholdReached,
                        new { percent = n.Percent, used = n.Used, quota = n.Quota, month = n.Month.ToString("yyyy-MM") }, n.At);
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            foreach (var n in batch) _pending.Enqueue(n);
            throw;
        }
    }

    /// <summary>Fills the counters from this month's counted, allowed usage, and remembers the notifications already sent.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var month = QuotaState.MonthStart(clock.GetUtcNow().UtcDateTime);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // The day rollup holds the whole month whatever the minute retention, in a few rows per application.
        var firstDay = DateOnly.FromDateTime(month);
        var used = await db.UsageDays.AsNoTracking()
            .Where(u => u.Day >= firstDay && u.Counted && u.Outcome == 0 && u.ApplicationId != Guid.Empty)
            .GroupBy(u => u.ApplicationId)
            .Select(g => new { ApplicationId = g.Key, Calls = g.Sum(u => u.Calls) })
            .ToListAsync(cancellationToken);
        var sent = await db.QuotaNotifications.AsNoTracking()
            .Where(n => n.Month == month)
            .Select(n => new { n.ApplicationId, n.Kind, n.Percent })
            .ToListAsync(cancellationToken);

        foreach (var row in used)
            CounterFor(row.ApplicationId, month).Used = row.Calls;
        foreach (var n in sent)
        {
            var bit = n.Kind == QuotaNotificationKind.Overrun ? OverrunBit : ThresholdBit(n.Percent);
            if (bit != 0) CounterFor(n.ApplicationId, month).Notified |= bit;
        }
    }

    private void NotifyCrossings(ApplicationState application, MonthCounter counter, long used, DateTime now)
    {
        var quota = application.MonthlyQuota;
        for (var i = 0; i < _thresholds.Length; i++)
        {
            // used / quota >= threshold%, in integers; a zero quota is crossed by the first call.
            if (used * 100 >= quota * _thresholds[i] && Mark(counter, 1 << i))
                Queue(application, counter, QuotaNotificationKind.Threshold, _thresholds[i], used, now);
        }
        if (used > quota && Mark(counter, OverrunBit))
            Queue(application, counter, QuotaNotificationKind.Overrun, 100, used, now);
    }

    /// <summary>Sets a bit; true only for the one caller that set it first.</summary>
    private static bool Mark(MonthCounter counter, int bit) =>
        (Volatile.Read(ref counter.Notified) & bit) == 0 && (Interlocked.Or(ref counter.Notified, bit) & bit) == 0;

    private void Queue(ApplicationState application, MonthCounter counter, QuotaNotificationKind kind, int percent, long used, DateTime now) =>
        _pending.Enqueue(new QuotaNotification
        {
            ApplicationId = application.Id,
            AccountId = application.AccountId,
            Month = new DateTime(counter.MonthStartTicks, DateTimeKind.Utc),
            Kind = kind,
            Percent = percent,
            At = now,
            Used = used,
            Quota = application.MonthlyQuota,
        });

    private int ThresholdBit(int percent)
    {
        var index = Array.IndexOf(_thresholds, percent);
        return index < 0 ? 0 : 1 << index;
    }

    private static QuotaState State(ApplicationState application, MonthCounter counter, long used) =>
        new(application.MonthlyQuota, application.OverrunAllowance, used, new DateTime(counter.MonthStartTicks, DateTimeKind.Utc).AddMonths(1));

    private MonthCounter CounterFor(Guid applicationId, DateTime monthStart)
    {
        var ticks = monthStart.Ticks;
        while (true)
        {
            var counter = _counters.GetOrAdd(applicationId, static (_, start) => new MonthCounter(start), ticks);
            if (counter.MonthStartTicks >= ticks) return counter;
            // A new month: the count starts again, and so do the notifications.
            _counters.TryUpdate(applicationId, new MonthCounter(ticks), counter);
        }
    }

    private sealed class MonthCounter(long monthStartTicks)
    {
        public readonly long MonthStartTicks = monthStartTicks;
        public long Used;
        /// <summary>One bit per threshold index, plus <see cref="OverrunBit"/>.</summary>
        public int Notified;
    }
}
