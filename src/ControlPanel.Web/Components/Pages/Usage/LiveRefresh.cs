using Microsoft.Extensions.Logging;

namespace ControlPanel.Web.Components.Pages.Usage;

/// <summary>
/// Runs a reload on a timer while a component is on screen, and stops when it is disposed. A failed reload
/// is logged and tried again on the next tick, so one bad moment does not stop a live chart for good.
/// </summary>
public sealed class LiveRefresh(ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private bool started;

    /// <summary>Starts the timer once (call it from the first interactive render, not while prerendering).</summary>
    public void Start(TimeSpan every, Func<Task> reload)
    {
        if (started) return;
        started = true;
        _ = RunAsync(every, reload, stopping.Token);
    }

    private async Task RunAsync(TimeSpan every, Func<Task> reload, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await reload();
                }
                catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
                {
                    logger.LogWarning(e, "A live refresh failed; trying again on the next tick.");
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }
}
