using ControlPanel.Tests;
using ControlPanel.Web.Components.Shared;

namespace ControlPanel.Components.Tests.Shared;

public sealed class RefreshTimerTests : ComponentTest
{
    protected override bool UsesPageClock => true;

    [Fact]
    public async Task It_ticks_each_time_the_clock_passes_its_interval_retries_after_a_failed_tick_and_stops_when_removed()
    {
        var ticks = 0;
        var cut = Render<RefreshTimer>(p => p.Add(t => t.Every, TimeSpan.FromSeconds(2)).Add(t => t.Tick, () =>
            // The first tick fails: the next one must still come.
            Interlocked.Increment(ref ticks) == 1 ? throw new InvalidOperationException("A bad moment.") : Task.CompletedTask));

        PageClock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(0, Volatile.Read(ref ticks));
        PageClock.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => Volatile.Read(ref ticks) == 1, "the first tick");

        PageClock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(() => Volatile.Read(ref ticks) == 2, "the tick after the failed one");

        await Context.DisposeComponentsAsync();
        PageClock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Volatile.Read(ref ticks));
    }
}
