namespace ControlPanel.Api.Tests;

/// <summary>
/// The in-process app's clock, moved by hand, whose timers run on real time: the app's webhook and mail workers and its change
/// follower wait on timers made by the clock, and FakeTimeProvider's fire only when a test moves it (the domain tests use that).
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public DateTime UtcNow => GetUtcNow().UtcDateTime;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);

    public void Set(DateTimeOffset to) => Interlocked.Exchange(ref _utcTicks, to.UtcTicks);
}
