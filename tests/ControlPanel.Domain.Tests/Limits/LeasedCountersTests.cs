using ControlPanel.Domain.Data;
using ControlPanel.Domain.Limits;

namespace ControlPanel.Domain.Tests.Limits;

/// <summary>Limits shared by several instances: each instance is a <see cref="LeasedCounters"/> over one database.</summary>
public class LeasedCountersTests
{
    private static readonly DateTime Period = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime PeriodEnd = Period.AddMinutes(1);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Instances_sharing_a_database_allow_exactly_the_limit_between_them(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var instances = Enumerable.Range(0, 3).Select(_ => new LeasedCounters(new DatabaseCounterStore(database.Factory), clock)).ToArray();

        // Every instance keeps calling well past the limit, concurrently with the others.
        var allowed = await Task.WhenAll(instances.Select(instance => Task.Run(async () =>
        {
            var allowedHere = 0;
            for (var i = 0; i < 150; i++)
                if ((await instance.TryCountAsync("a:app:203.0.113.7", Period, PeriodEnd, 100)).Allowed) allowedHere++;
            return allowedHere;
        })));

        Assert.Equal(100, allowed.Sum());
        await using var db = database.CreateContext();
        Assert.True(db.SharedCounters.Single().Taken >= 100);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Instances_leasing_blocks_ahead_still_allow_exactly_the_limit_between_them(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var instances = Enumerable.Range(0, 3).Select(_ => new LeasedCounters(new DatabaseCounterStore(database.Factory), clock)).ToArray();
        const long limit = 12_000; // far enough from the limit at first for full blocks leased ahead

        // Every instance keeps calling until it could have used the whole limit alone.
        var allowed = await Task.WhenAll(instances.Select(instance => Task.Run(async () =>
        {
            var allowedHere = 0;
            for (var i = 0; i < limit; i++)
                if ((await instance.TryCountAsync("q:app", Period, PeriodEnd, limit)).Allowed) allowedHere++;
            return allowedHere;
        })));

        Assert.Equal(limit, allowed.Sum());
    }

    [Fact]
    public async Task A_busy_key_leases_its_next_block_while_a_quarter_of_the_current_one_is_left()
    {
        var store = new ProcessCounterStore();
        var counters = new LeasedCounters(store, new FakeTimeProvider(TestClock.Start));
        const long limit = 1_000_000_000;
        async Task<LeasedCounters.Count> CountAsync(int calls)
        {
            LeasedCounters.Count last = default;
            for (var i = 0; i < calls; i++) last = await counters.TryCountAsync("q:app", Period, PeriodEnd, limit);
            return last;
        }

        await CountAsync(749);
        Assert.Equal(LeasedCounters.MaxBlock, await store.AddAsync("q:app", Period, 0, PeriodEnd));
        await CountAsync(1); // 250 left
        Assert.Equal(2 * LeasedCounters.MaxBlock, await store.AddAsync("q:app", Period, 0, PeriodEnd));

        // The next block continues the count without another lease.
        Assert.Equal(1001, (await CountAsync(251)).Used);
        Assert.Equal(2 * LeasedCounters.MaxBlock, await store.AddAsync("q:app", Period, 0, PeriodEnd));
        Assert.Equal(1001, await counters.ReadAsync("q:app", Period, PeriodEnd));

        // Both blocks' unused calls go back on shutdown.
        await counters.ReturnUnusedAsync(all: true);
        Assert.Equal(1001, await store.AddAsync("q:app", Period, 0, PeriodEnd));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_block_left_idle_is_given_back_for_the_other_instances(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(new DateTimeOffset(Period.AddSeconds(1)));
        var first = new LeasedCounters(new DatabaseCounterStore(database.Factory), clock);
        var second = new LeasedCounters(new DatabaseCounterStore(database.Factory), clock);

        Assert.True((await first.TryCountAsync("k", Period, PeriodEnd, 100)).Allowed); // leases a block, uses one call
        var beforeReturn = await CountAllowedAsync(second, 100);
        clock.Advance(LeasedCounters.IdleReturn);
        await first.ReturnUnusedAsync();
        var afterReturn = await CountAllowedAsync(second, 100);

        Assert.True(beforeReturn < 99, "the first instance's block was held back");
        Assert.Equal(99, beforeReturn + afterReturn);
    }

    [Fact]
    public async Task A_busy_block_is_kept_and_every_block_is_given_back_on_shutdown()
    {
        var store = new ProcessCounterStore();
        var clock = new FakeTimeProvider(new DateTimeOffset(Period.AddSeconds(1)));
        var counters = new LeasedCounters(store, clock);
        await counters.TryCountAsync("k", Period, PeriodEnd, 800);

        await counters.ReturnUnusedAsync();
        Assert.Equal(100, await store.AddAsync("k", Period, 0, PeriodEnd)); // an eighth of 800, still held

        await counters.ReturnUnusedAsync(all: true);
        Assert.Equal(1, await store.AddAsync("k", Period, 0, PeriodEnd));
    }

    [Fact]
    public async Task A_seeded_period_continues_from_the_stored_usage()
    {
        var counters = new LeasedCounters(new ProcessCounterStore(), new FakeTimeProvider(TestClock.Start));
        await counters.SeedAsync("q:app", Period, PeriodEnd, 40);

        Assert.Equal(40, counters.Peek("q:app", Period));
        var count = await counters.TryCountAsync("q:app", Period, PeriodEnd, 42);
        Assert.Equal((true, 41L), (count.Allowed, count.Used));
        Assert.True((await counters.TryCountAsync("q:app", Period, PeriodEnd, 42)).Allowed);
        Assert.False((await counters.TryCountAsync("q:app", Period, PeriodEnd, 42)).Allowed);
    }

    [Fact]
    public async Task Pages_read_the_calls_counted_not_the_blocks_leased()
    {
        var store = new ProcessCounterStore();
        var (one, other) = (new LeasedCounters(store, new FakeTimeProvider(TestClock.Start)), new LeasedCounters(store, new FakeTimeProvider(TestClock.Start)));
        for (var i = 0; i < 3; i++) await one.TryCountAsync("q:app", Period, PeriodEnd, 1_000_000);

        Assert.Equal(3, await one.ReadAsync("q:app", Period, PeriodEnd));
        // Another instance counts the first one's unused block as used, and never more than a block.
        Assert.Equal(LeasedCounters.MaxBlock, await other.ReadAsync("q:app", Period, PeriodEnd));
    }

    [Fact]
    public async Task An_instance_knows_a_limit_is_used_up_once_it_has_nothing_left_to_lease_even_when_another_used_it()
    {
        var store = new ProcessCounterStore();
        var (one, other) = (new LeasedCounters(store, new FakeTimeProvider(TestClock.Start)), new LeasedCounters(store, new FakeTimeProvider(TestClock.Start)));
        const long limit = 3;
        Assert.False(one.IsUsedUp("r:a", Period, limit));
        // The other instance leases a call first; this one then takes what is left.
        Assert.True((await other.TryCountAsync("r:a", Period, PeriodEnd, limit)).Allowed);
        while ((await one.TryCountAsync("r:a", Period, PeriodEnd, limit)).Allowed) { }

        Assert.True(one.IsUsedUp("r:a", Period, limit));
        // The other still holds leased calls of its own (or has not asked since): used up only once it runs out.
        while ((await other.TryCountAsync("r:a", Period, PeriodEnd, limit)).Allowed) { }
        Assert.True(other.IsUsedUp("r:a", Period, limit));
        Assert.False(other.IsUsedUp("r:a", PeriodEnd, limit));
    }

    private static async Task<int> CountAllowedAsync(LeasedCounters counters, long limit)
    {
        var allowed = 0;
        for (var i = 0; i < limit * 2; i++)
            if ((await counters.TryCountAsync("k", Period, PeriodEnd, limit)).Allowed) allowed++;
        return allowed;
    }
}
