using System.Diagnostics;

namespace ControlPanel.Tests;

/// <summary>
/// The one way a test waits for something another process, thread or timer brings about: poll a condition until it holds,
/// and fail after a generous timeout with a message saying what was awaited. Never a fixed sleep. Answers how long it
/// took, for tests that report how soon something spread.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static Task<TimeSpan> TrueAsync(Func<bool> condition, string awaited, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), () => awaited, timeout);

    public static Task<TimeSpan> TrueAsync(Func<Task<bool>> condition, string awaited, TimeSpan? timeout = null) =>
        TrueAsync(condition, () => awaited, timeout);

    /// <summary>As above, with a message made at the timeout, so it can say what was seen last.</summary>
    public static async Task<TimeSpan> TrueAsync(Func<Task<bool>> condition, Func<string> awaited, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > limit) throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {awaited()}.");
            await Task.Delay(Poll);
        }
        return waited.Elapsed;
    }
}
