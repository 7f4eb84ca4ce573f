using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Monitoring;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;

namespace ControlPanel.Web.Background;

/// <summary>
/// Writes what the request path gathers in memory (metered usage, sessions' activity, quota notifications, key pairs' last use)
/// every second and on shutdown, so the request path never writes; and gives back the unused part of
/// limit blocks idle for a while (all of them on shutdown) for the other instances.
/// </summary>
public sealed class InMemoryStateFlusher(
    UsageMeter usage, SessionActivityMeter sessionActivity, QuotaLedger quotas, KeyIndex keys, LeasedCounters counters, TimeProvider clock, ILogger<InMemoryStateFlusher> logger) : BackgroundService
{
    /// <summary>
    /// How often the gathered counts are written: what a crash (a kill, a power cut) loses is what was gathered since
    /// the last flush that completed, about this long of usage counts and last-used times (docs/operations.md, "What a crash loses").
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // Each part of a flush logs its own failure and keeps what it gathered, so a pass as a whole fails only by stopping.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(clock, Interval, cancellationToken => FlushAsync(cancellationToken),
            error => logger.LogWarning(error, "Could not flush what was gathered in memory; retrying next second."), stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken, stopping: true);
    }

    private async Task FlushAsync(CancellationToken cancellationToken, bool stopping = false)
    {
        try
        {
            await usage.FlushAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
            ControlPanelMetrics.RecordUsageFlushed();
        }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not write usage; kept for the next second."); }
        try { await sessionActivity.FlushAsync(clock.GetUtcNow().UtcDateTime, cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not write session activity; kept for the next second."); }
        try { await quotas.FlushNotificationsAsync(cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not write quota notifications; kept for the next second."); }
        try { await keys.FlushUsesAsync(cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not write key last-used times; retrying next second."); }
        try { await counters.ReturnUnusedAsync(all: stopping, cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not give back unused limit blocks; retrying next second."); }
    }
}
