namespace ControlPanel.Web.Background;

/// <summary>
/// The one shape of work done every so often, for background services and live pages alike: a pass every
/// <c>every</c> on the given clock's timer (so tests move a fake clock instead of waiting), until stopped. A failed pass
/// is handed to <c>failed</c> (to log) and the next tick tries again, so one bad moment never stops the loop for good.
/// </summary>
public static class PeriodicWork
{
    /// <param name="firstPassAtOnce">Runs a pass before the first tick (a worker that should not wait one interval after start).</param>
    public static async Task RunAsync(
        TimeProvider clock, TimeSpan every, Func<CancellationToken, Task> pass, Action<Exception> failed, CancellationToken stoppingToken,
        bool firstPassAtOnce = false)
    {
        using var timer = new PeriodicTimer(every, clock);
        try
        {
            if (firstPassAtOnce) await PassAsync(pass, failed, stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await PassAsync(pass, failed, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private static async Task PassAsync(Func<CancellationToken, Task> pass, Action<Exception> failed, CancellationToken stoppingToken)
    {
        try
        {
            await pass(stoppingToken);
        }
        // Anything but stopping is retried, a stray cancellation (a timed-out call) included: it must not end the loop.
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            failed(e);
        }
    }
}
