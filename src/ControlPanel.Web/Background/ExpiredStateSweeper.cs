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
    // Retention periods are days long; an hourly pass keeps the scans of large history tables rare.
    private static readonly TimeSpan HistoryInterval = TimeSpan.FromHours(1);
    private DateTimeOffset _nextHistorySweep = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    sessions.Sweep();
                    await counters.RemoveExpiredAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
                    await changes.RemoveOldAsync(stoppingToken);
                    if (clock.GetUtcNow() >= _nextHistorySweep)
                    {
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
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not remove expired state; retrying next minute."); }
            }
        }
        catch (OperationCanceledException) { }
    }
}
