using ControlPanel.Tests;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Components.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> at the real time now (pages show it) that counts the timers made on it: a background
/// service makes its timer on a thread of its own (.NET 10 runs all of ExecuteAsync in the background), so a test moves
/// the clock only once the loop waits on it, or the move would be lost.
/// </summary>
public sealed class FakeClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private int _timersMade;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timersMade);
        return timer;
    }

    /// <summary>Waits until a loop has made its timer on this clock.</summary>
    public Task TimerMadeAsync() => Eventually.TrueAsync(() => Volatile.Read(ref _timersMade) > 0, "a timer made on the fake clock");
}
