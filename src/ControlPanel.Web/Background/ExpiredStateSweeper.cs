using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;

namespace ControlPanel.Web.Background;

/// <summary>
/// Every minute: forgets long-expired sessions, ended limit periods and old changes; every hour, usage, sessions' activity, webhook, mail
/// and audit history and idempotent-rotation answers past their retention, and erases deleted accounts whose grace period ended;
/// so memory and tables stay bounded.
/// </summary>
public sealed class ExpiredStateSweeper(
    SessionStore sessions, CounterStore counters, ChangeFeed changes, HistoryRetention history, UsageRetention usage, SessionRetention sessionHistory,
    AccountDeletion accountDeletion, TimeProvider clock,
    ILogger<ExpiredStateSweeper> logger) : BackgroundService
{
    /// <summary>How often sessions, ended limit periods and old changes are forgotten.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Retention periods are days long; an hourly pass keeps the scans of large history tables rare.
    private static readonly TimeSpan HistoryInterval = TimeSpan.FromHours(1);
    private DateTimeOffset _nextHistorySweep = DateTimeOffset.MinValue;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(clock, Interval, SweepAsync,
            error => logger.LogWarning(error, "Could not remove expired state; retrying next minute."), stoppingToken);

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        sessions.Sweep();
        await counters.RemoveExpiredAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
        await changes.RemoveOldAsync(stoppingToken);
        if (clock.GetUtcNow() < _nextHistorySweep) return;
        _nextHistorySweep = clock.GetUtcNow() + HistoryInterval;
        var usageDeleted = await usage.DeleteExpiredAsync(stoppingToken);
        if (usageDeleted.MinuteRows + usageDeleted.DayRows > 0)
            logger.LogInformation("Retention deleted {MinuteRows} usage minute rows and {DayRows} usage day rows.", usageDeleted.MinuteRows, usageDeleted.DayRows);
        var sessionsDeleted = await sessionHistory.DeleteExpiredAsync(stoppingToken);
        if (sessionsDeleted.Sessions + sessionsDeleted.ActivityRows > 0)
            logger.LogInformation("Retention deleted {Sessions} sessions and {ActivityRows} session activity rows.", sessionsDeleted.Sessions, sessionsDeleted.ActivityRows);
        var erased = await accountDeletion.EraseDueAsync(stoppingToken);
        if (erased > 0) logger.LogInformation("Erased the personal data of {Accounts} deleted accounts past their grace period.", erased);
        var deleted = await history.DeleteExpiredAsync(stoppingToken);
        if (deleted.Total > 0)
            logger.LogInformation("Retention deleted {Events} webhook events, {Deliveries} deliveries, {Attempts} attempts, {AuditEntries} audit entries, {Mails} mails and {IdempotentRequests} expired idempotent requests.",
                deleted.Events, deleted.Deliveries, deleted.Attempts, deleted.AuditEntries, deleted.Mails, deleted.IdempotentRequests);
    }
}
