using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Usage;

namespace ControlPanel.Web.Usage;

/// <summary>Writes metered usage and quota notifications every second and on shutdown, so the request path never writes.</summary>
public sealed class UsageFlusher(UsageMeter usage, QuotaLedger quotas, TimeProvider clock, ILogger<UsageFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try { await usage.FlushAsync(clock.GetUtcNow().UtcDateTime, cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not write usage; kept for the next second."); }
        try { await quotas.FlushNotificationsAsync(cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not write quota notifications; kept for the next second."); }
    }
}
