using System.Diagnostics;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Sessions;

namespace ControlPanel.Web.Background;

/// <summary>
/// Fills the in-memory state the request check reads (every <see cref="IChangeSubscriber"/> the change feed was given,
/// then the sessions and this month's quota counts) once the host runs, so the instance answers <c>/health/live</c> at
/// once while a large directory loads; <c>/health/ready</c> answers only when <see cref="Loaded"/> is complete. Every
/// other request waits for it (<see cref="Hosting.UseWaitForState"/>), so nothing is answered from a half-filled directory.
/// </summary>
public sealed class StateLoader(ChangeFeed changes, SessionStore sessions, QuotaLedger quotas, ILogger<StateLoader> logger) : BackgroundService
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Loaded => _loaded.Task;

    public bool IsLoaded => _loaded.Task.IsCompletedSuccessfully;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Returns to the host at once: the server starts listening while this runs.
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await changes.StartAsync(stoppingToken);
            // Sessions and this month's quota counts survive restarts: they are read once here, then kept in memory.
            await sessions.LoadAsync();
            await quotas.LoadAsync();
            _loaded.TrySetResult();
            // Operators size start-up probes by it (docs/operations.md): it grows with the number of key pairs.
            logger.LogInformation("Directory, sessions and quota counts loaded in {Seconds:F1} s; the instance is ready.", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e)
        {
            _loaded.TrySetException(e);
            // Not ready and never will be: the host stops (BackgroundService's default), as a failed start did before.
            logger.LogCritical(e, "Could not load the directory, sessions and quota counts.");
            throw;
        }
    }
}
