using ControlPanel.Domain.Keys;

namespace ControlPanel.Web.Keys;

/// <summary>Writes key pairs' "last used" times every second and on shutdown, so the request path never writes.</summary>
public sealed class KeyUseFlusher(KeyIndex keys, ILogger<KeyUseFlusher> logger) : BackgroundService
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
        try { await keys.FlushUsesAsync(cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not write key last-used times; retrying next second."); }
    }
}
