using ControlPanel.Domain.Data;
using ControlPanel.Domain.Usage;
using ControlPanel.Tests;
using ControlPanel.Web.Background;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Background;

/// <summary>
/// The app's background loops on a fake clock, over the app's real services (the host is never started here, so no other
/// loop runs): a pass happens when the clock passes the loop's interval, and not before.
/// </summary>
public sealed class PeriodicWorkersTests : ComponentTest
{
    [Fact]
    public async Task The_sweeper_forgets_changes_past_retention_once_a_minute_has_passed_and_not_before()
    {
        var databases = Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>();
        var old = new Change { Topic = ChangeTopic.Directory, Origin = Guid.NewGuid(), At = DateTime.UtcNow - ChangeFeed.Retention - TimeSpan.FromMinutes(5) };
        await using (var db = await databases.CreateDbContextAsync())
        {
            db.Changes.Add(old);
            await db.SaveChangesAsync();
        }
        async Task<bool> KeptAsync()
        {
            await using var db = await databases.CreateDbContextAsync();
            return await db.Changes.AnyAsync(c => c.Id == old.Id);
        }
        var clock = new FakeClock();
        using var sweeper = ActivatorUtilities.CreateInstance<ExpiredStateSweeper>(Services, clock);
        await sweeper.StartAsync(CancellationToken.None);
        await clock.TimerMadeAsync();

        clock.Advance(ExpiredStateSweeper.Interval - TimeSpan.FromSeconds(1));
        Assert.True(await KeptAsync());

        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => !await KeptAsync(), "the sweep of a change past retention");
        await sweeper.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_flusher_writes_gathered_usage_once_its_interval_has_passed_and_not_before()
    {
        var meter = Services.GetRequiredService<UsageMeter>();
        meter.Record(applicationId: null, keyPairId: null, environment: null, outcome: 101, counted: false, at: DateTime.UtcNow);
        var clock = new FakeClock();
        using var flusher = ActivatorUtilities.CreateInstance<InMemoryStateFlusher>(Services, clock);
        await flusher.StartAsync(CancellationToken.None);
        await clock.TimerMadeAsync();

        clock.Advance(InMemoryStateFlusher.Interval - TimeSpan.FromMilliseconds(1));
        Assert.NotEmpty(meter.Pending());

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => meter.Pending().Count == 0, "the flush of the gathered usage");
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync())
            Assert.Equal(1, await db.UsageMinutes.Where(m => m.Outcome == 101).SumAsync(m => m.Calls));
        await flusher.StopAsync(CancellationToken.None);
    }
}
