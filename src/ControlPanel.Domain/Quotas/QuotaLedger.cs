using System.Collections.Concurrent;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Quotas;

/// <summary>
/// Counted calls per application this calendar month (UTC), for the request check: counted and
/// refused from memory, exact across instances (the months are <see cref="LeasedCounters"/>).
/// Started at start-up from the usage table. Crossing a notification threshold queues a
/// <see cref="QuotaNotification"/>, once per threshold per month; the host writes the queue with
/// the usage flush (the table's unique index keeps one when two instances both see a crossing).
/// </summary>
/// <remarks>No more than quota + allowance calls are allowed in a month.</remarks>
public sealed class QuotaLedger(
    LeasedCounters counters, IDbContextFactory<ControlPanelDbContext> databases, IOptions<ApiOptions> options, TimeProvider clock)
{
    private const int OverrunBit = 1 << 30;

    private readonly ConcurrentDictionary<Guid, MonthNotes> _notes = new();
    private readonly ConcurrentQueue<QuotaNotification> _pending = new();
    private readonly int[] _thresholds = [.. options.Value.NotificationThresholds];

    /// <summary>The state without counting a call (for calls that do not count towards the quota).</summary>
    public QuotaState Peek(ApplicationState application, DateTime now)
    {
        var month = QuotaState.MonthStart(now);
        return State(application, month, counters.Peek(application.QuotaKey, month));
    }

    /// <summary>The state over all instances, for pages (reads the shared total; not for the request path).</summary>
    public async Task<QuotaState> ReadAsync(ApplicationState application, CancellationToken cancellationToken = default)
    {
        var month = QuotaState.MonthStart(clock.GetUtcNow().UtcDateTime);
        return State(application, month, await counters.ReadAsync(application.QuotaKey, month, month.AddMonths(1), cancellationToken));
    }

    /// <summary>Counts one call; not allowed when quota and overrun allowance are used up (the call is not counted then).</summary>
    public async ValueTask<(bool Allowed, QuotaState State)> TryCountAsync(ApplicationState application, DateTime now)
    {
        var month = QuotaState.MonthStart(now);
        var count = await counters.TryCountAsync(application.QuotaKey, month, month.AddMonths(1), application.MonthlyQuota + application.OverrunAllowance);
        if (count.Allowed) NotifyCrossings(application, month, count.Used, now);
        return (count.Allowed, State(application, month, count.Used));
    }

    /// <summary>Takes back one call <see cref="TryCountAsync"/> counted at <paramref name="countedAt"/>.</summary>
    public Task RefundAsync(ApplicationState application, DateTime countedAt, CancellationToken cancellationToken = default)
    {
        var month = QuotaState.MonthStart(countedAt);
        return counters.RefundAsync(application.QuotaKey, month, month.AddMonths(1), cancellationToken);
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
                if (inserted != 1) continue;
                WebhookOutbox.Enqueue(db, n.AccountId, n.ApplicationId,
                    n.Kind == QuotaNotificationKind.Overrun ? WebhookEvents.QuotaExceeded : WebhookEvents.QuotaThresholdReached,
                    new { percent = n.Percent, used = n.Used, quota = n.Quota, month = n.Month.ToString("yyyy-MM") }, n.At);
                // And a notice by mail, in the same transaction: once per threshold per month, like the row above.
                var application = await db.Applications.AsNoTracking().Where(a => a.Id == n.ApplicationId).Select(a => a.Name).SingleOrDefaultAsync(cancellationToken) ?? "Your application";
                await Notices.AddAsync(db, n.AccountId, NoticeKind.Quota, MailKinds.QuotaNotice, name => n.Kind == QuotaNotificationKind.Overrun
                    ? MailTemplates.QuotaOverrun(name, application, n.Used, n.Quota, n.Month)
                    : MailTemplates.QuotaThreshold(name, application, n.Percent, n.Used, n.Quota, n.Month), n.At);
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

    /// <summary>
    /// Starts this month's counters from the counted, allowed usage stored (where no instance has
    /// started them yet), and remembers the notifications already sent.
    /// </summary>
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
            await counters.SeedAsync(QuotaKey(row.ApplicationId), month, month.AddMonths(1), row.Calls, cancellationToken);
        foreach (var n in sent)
        {
            var bit = n.Kind == QuotaNotificationKind.Overrun ? OverrunBit : ThresholdBit(n.Percent);
            if (bit != 0) NotesFor(n.ApplicationId, month).Notified |= bit;
        }
    }

    /// <summary>The counter key of an application's quota month (as <see cref="ApplicationState.QuotaKey"/>).</summary>
    public static string QuotaKey(Guid applicationId) => $"q:{applicationId}";

    private void NotifyCrossings(ApplicationState application, DateTime month, long used, DateTime now)
    {
        var quota = application.MonthlyQuota;
        MonthNotes? notes = null;
        for (var i = 0; i < _thresholds.Length; i++)
        {
            // used / quota >= threshold%, in integers; a zero quota is crossed by the first call.
            if (used * 100 >= quota * _thresholds[i] && Mark(notes ??= NotesFor(application.Id, month), 1 << i))
                Queue(application, month, QuotaNotificationKind.Threshold, _thresholds[i], used, now);
        }
        if (used > quota && Mark(notes ??= NotesFor(application.Id, month), OverrunBit))
            Queue(application, month, QuotaNotificationKind.Overrun, 100, used, now);
    }

    /// <summary>Sets a bit; true only for the one caller that set it first.</summary>
    private static bool Mark(MonthNotes notes, int bit) =>
        (Volatile.Read(ref notes.Notified) & bit) == 0 && (Interlocked.Or(ref notes.Notified, bit) & bit) == 0;

    private void Queue(ApplicationState application, DateTime month, QuotaNotificationKind kind, int percent, long used, DateTime now) =>
        _pending.Enqueue(new QuotaNotification
        {
            ApplicationId = application.Id,
            AccountId = application.AccountId,
            Month = month,
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

    private static QuotaState State(ApplicationState application, DateTime month, long used) =>
        new(application.MonthlyQuota, application.OverrunAllowance, used, month.AddMonths(1));

    private MonthNotes NotesFor(Guid applicationId, DateTime month)
    {
        while (true)
        {
            var notes = _notes.GetOrAdd(applicationId, static (_, start) => new MonthNotes(start), month);
            if (notes.Month >= month) return notes;
            // A new month: the notifications start again.
            _notes.TryUpdate(applicationId, new MonthNotes(month), notes);
        }
    }

    /// <summary>Which notifications of one month this instance has raised or seen stored.</summary>
    private sealed class MonthNotes(DateTime month)
    {
        public readonly DateTime Month = month;
        /// <summary>One bit per threshold index, plus <see cref="OverrunBit"/>.</summary>
        public int Notified;
    }
}
