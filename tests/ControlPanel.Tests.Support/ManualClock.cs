namespace ControlPanel.Tests;

/// <summary>A clock tests move by hand (Microsoft.Extensions.TimeProvider.Testing does not restore here).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public ManualClock() : this(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public DateTime UtcNow => GetUtcNow().UtcDateTime;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);

    public void Set(DateTimeOffset to) => Interlocked.Exchange(ref _utcTicks, to.UtcTicks);
}
