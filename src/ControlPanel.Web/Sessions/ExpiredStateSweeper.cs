using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Sessions;

namespace ControlPanel.Web.Sessions;

/// <summary>Every minute: forgets long-expired sessions and rate-limit windows that have ended, so memory stays bounded.</summary>
public sealed class ExpiredStateSweeper(SessionStore sessions, RateLimiter limiter, ILogger<ExpiredStateSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                limiter.RemoveExpired();
                try { await sessions.SweepAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not remove expired sessions; retrying next minute."); }
            }
        }
        catch (OperationCanceledException) { }
    }
}
