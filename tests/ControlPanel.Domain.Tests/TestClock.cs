namespace ControlPanel.Domain.Tests;

/// <summary>
/// Where the domain tests' <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> starts unless a test says otherwise
/// (its own default is 2000-01-01): a fixed moment, so no run depends on the date.
/// </summary>
public static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
}
