using ControlPanel.Domain.Data;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Sessions;

namespace ControlPanel.Web.Sessions;

/// <summary>Every minute: forgets long-expired sessions, ended limit periods and old changes, so memory and tables stay bounded.</summary>
public sealed class ExpiredStateSweeper(
    SessionStore sessions, CounterStore counters, ChangeFeed changes, TimeProvider clock, ILogger<ExpiredStateSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await sessions.SweepAsync(stoppingToken);
                    await counters.RemoveExpiredAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
                    await changes.RemoveOldAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not remove expired state; retrying next minute."); }
            }
        }
        catch (OperationCanceledException) { }
    }
}
