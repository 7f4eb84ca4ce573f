using ControlPanel.Domain.Limits;

namespace ControlPanel.Domain.Tests.Limits;

public class RateLimiterTests
{
    // 12:00:00 UTC; every test moves time by passing explicit values, never by sleeping.
    private static readonly DateTimeOffset MinuteStart = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NextMinute = MinuteStart.AddMinutes(1);

    [Fact]
    public void First_call_is_allowed_and_reports_the_window()
    {
        var limiter = NewLimiter();

        var decision = limiter.TryAcquire("app:1:ip:203.0.113.7", 100, MinuteStart.AddSeconds(20));

        Assert.True(decision.Allowed);
        Assert.Equal(100, decision.Limit);
        Assert.Equal(99, decision.Remaining);
        Assert.Equal(NextMinute, decision.ResetAt);
        Assert.Equal(TimeSpan.Zero, decision.ResetAt.Offset);
        Assert.Equal(NextMinute.ToUnixTimeSeconds(), decision.ResetUnixSeconds);
    }

    [Fact]
    public void Exactly_the_limit_is_allowed_then_calls_are_refused_with_nothing_remaining()
    {
        var limiter = NewLimiter();
        const int limit = 5;

        var decisions = Enumerable.Range(0, 8)
            .Select(i => limiter.TryAcquire("session:abc", limit, MinuteStart.AddSeconds(i)))
            .ToList();

        Assert.Equal([true, true, true, true, true, false, false, false], decisions.Select(d => d.Allowed));
        Assert.Equal([4, 3, 2, 1, 0, 0, 0, 0], decisions.Select(d => d.Remaining));
        Assert.All(decisions, d => Assert.Equal(NextMinute, d.ResetAt));
    }

    [Fact]
    public void A_zero_limit_refuses_every_call()
    {
        var limiter = NewLimiter();

        var decision = limiter.TryAcquire("session:abc", 0, MinuteStart);

        Assert.False(decision.Allowed);
        Assert.Equal(0, decision.Remaining);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        var limiter = NewLimiter();

        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.TryAcquire("session:abc", -1, MinuteStart));
        Assert.Throws<ArgumentNullException>(() => limiter.TryAcquire(null!, 10, MinuteStart));
    }

    [Fact]
    public void Windows_are_aligned_to_utc_minute_boundaries()
    {
        var limiter = NewLimiter();

        var lastTickOfMinute = limiter.TryAcquire("k", 1, NextMinute.AddTicks(-1));
        var firstTickOfNext = limiter.TryAcquire("k", 1, NextMinute);

        Assert.True(lastTickOfMinute.Allowed);
        Assert.Equal(NextMinute, lastTickOfMinute.ResetAt);
        Assert.True(firstTickOfNext.Allowed);
        Assert.Equal(NextMinute.AddMinutes(1), firstTickOfNext.ResetAt);
    }

    [Fact]
    public void Alignment_uses_utc_whatever_the_offset_of_now()
    {
        var limiter = NewLimiter();
        var localNoonPlusTwo = new DateTimeOffset(2026, 11, 22, 14, 0, 30, TimeSpan.FromHours(2)); // 12:00:30Z

        var decision = limiter.TryAcquire("k", 10, localNoonPlusTwo);

        Assert.Equal(NextMinute, decision.ResetAt);
        Assert.Equal(NextMinute.ToUnixTimeSeconds(), decision.ResetUnixSeconds);
    }

    [Fact]
    public void Offsets_that_are_not_whole_minutes_still_align_to_utc_minutes()
    {
        var limiter = NewLimiter();
        // 12:00:10Z written with a +05:45 offset.
        var now = new DateTimeOffset(2026, 11, 22, 17, 45, 10, new TimeSpan(5, 45, 0));

        Assert.Equal(NextMinute, limiter.TryAcquire("k", 10, now).ResetAt);
    }

    [Fact]
    public void Count_starts_again_when_the_window_rolls_over()
    {
        var limiter = NewLimiter();
        for (int i = 0; i < 3; i++)
        {
            limiter.TryAcquire("k", 3, MinuteStart.AddSeconds(i));
        }

        var refused = limiter.TryAcquire("k", 3, MinuteStart.AddSeconds(59));
        var nextWindow = limiter.TryAcquire("k", 3, NextMinute.AddSeconds(1));

        Assert.False(refused.Allowed);
        Assert.True(nextWindow.Allowed);
        Assert.Equal(2, nextWindow.Remaining);
        Assert.Equal(NextMinute.AddMinutes(1), nextWindow.ResetAt);
    }

    [Fact]
    public void Count_starts_again_after_a_gap_of_several_minutes()
    {
        var limiter = NewLimiter();
        limiter.TryAcquire("k", 1, MinuteStart);

        var later = limiter.TryAcquire("k", 1, MinuteStart.AddHours(3).AddSeconds(5));

        Assert.True(later.Allowed);
        Assert.Equal(MinuteStart.AddHours(3).AddMinutes(1), later.ResetAt);
    }

    [Fact]
    public void A_call_stamped_just_before_a_newer_window_counts_in_the_newer_window()
    {
        // At a minute boundary one thread may read the clock a moment before another.
        var limiter = NewLimiter();
        limiter.TryAcquire("k", 2, NextMinute);

        var late = limiter.TryAcquire("k", 2, NextMinute.AddTicks(-1));
        var refused = limiter.TryAcquire("k", 2, NextMinute.AddSeconds(1));

        Assert.True(late.Allowed);
        Assert.Equal(0, late.Remaining);
        Assert.Equal(NextMinute.AddMinutes(1), late.ResetAt);
        Assert.False(refused.Allowed);
    }

    [Fact]
    public void Partitions_are_counted_separately()
    {
        var limiter = NewLimiter();

        var first = limiter.TryAcquire("app:1:ip:10.0.0.1", 1, MinuteStart);
        var otherIp = limiter.TryAcquire("app:1:ip:10.0.0.2", 1, MinuteStart);
        var firstAgain = limiter.TryAcquire("app:1:ip:10.0.0.1", 1, MinuteStart);

        Assert.True(first.Allowed);
        Assert.True(otherIp.Allowed);
        Assert.False(firstAgain.Allowed);
        Assert.Equal(2, limiter.Counters.SlotCount);
    }

    [Fact]
    public void Partition_keys_are_case_sensitive()
    {
        // Keys are opaque: tokens and ids may differ only by case.
        var limiter = NewLimiter();

        limiter.TryAcquire("session:AbC", 1, MinuteStart);

        Assert.True(limiter.TryAcquire("session:abc", 1, MinuteStart).Allowed);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10_000)] // many admitted increments under contention: a lost update would show
    public void Admission_is_exact_under_heavy_concurrency(int limit)
    {
        var limiter = NewLimiter();

        int allowed = CountAllowedConcurrently(threads: 64, callsPerThread: 500, _ => limiter.TryAcquire("app:1:ip:10.0.0.1", limit, MinuteStart.AddSeconds(30)));

        Assert.Equal(limit, allowed);
    }

    [Fact]
    public void Admission_is_exact_in_every_window_when_threads_race_to_roll_windows_over()
    {
        var limiter = NewLimiter();
        const int limit = 100;
        const int threads = 32;
        const int windows = 200;
        const int callsPerWindow = 20;
        var allowedPerWindow = new int[windows];
        using var roundStart = new Barrier(threads);

        // All threads enter each new minute together, so in every window they race to replace
        // the previous window's counter.
        RunOnThreads(threads, () =>
        {
            for (int window = 0; window < windows; window++)
            {
                roundStart.SignalAndWait();
                var now = MinuteStart.AddMinutes(window).AddSeconds(1);
                for (int i = 0; i < callsPerWindow; i++)
                {
                    if (limiter.TryAcquire("k", limit, now).Allowed)
                    {
                        Interlocked.Increment(ref allowedPerWindow[window]);
                    }
                }
            }
        });

        Assert.All(allowedPerWindow, allowed => Assert.Equal(limit, allowed));
    }

    [Fact]
    public void Admission_is_exact_per_partition_when_partitions_are_created_concurrently()
    {
        var limiter = NewLimiter();
        const int limit = 25;
        const int partitions = 16;

        int allowed = CountAllowedConcurrently(
            threads: 32,
            callsPerThread: 400,
            call => limiter.TryAcquire($"session:{call % partitions}", limit, MinuteStart));

        Assert.Equal(limit * partitions, allowed);
        Assert.Equal(partitions, limiter.Counters.SlotCount);
    }

    [Fact]
    public async Task Ended_windows_are_forgotten_and_current_ones_kept()
    {
        var clock = new FakeTimeProvider(MinuteStart);
        var limiter = NewLimiter(clock);
        limiter.TryAcquire("old-1", 10, MinuteStart);
        limiter.TryAcquire("old-2", 10, MinuteStart.AddSeconds(30));
        limiter.TryAcquire("current", 10, NextMinute.AddSeconds(5));

        clock.SetUtcNow(NextMinute.AddSeconds(10));
        await limiter.Counters.ReturnUnusedAsync();

        Assert.Equal(1, limiter.Counters.SlotCount);
        Assert.Equal(8, limiter.TryAcquire("current", 10, NextMinute.AddSeconds(11)).Remaining);
    }

    [Fact]
    public async Task A_forgotten_partition_starts_a_fresh_count()
    {
        var clock = new FakeTimeProvider(MinuteStart);
        var limiter = NewLimiter(clock);
        limiter.TryAcquire("k", 1, MinuteStart);
        clock.SetUtcNow(NextMinute);
        await limiter.Counters.ReturnUnusedAsync();

        var decision = limiter.TryAcquire("k", 1, NextMinute);

        Assert.True(decision.Allowed);
        Assert.Equal(0, decision.Remaining);
    }

    [Fact]
    public void Calls_on_an_existing_partition_do_not_allocate()
    {
        var limiter = NewLimiter();
        var now = MinuteStart.AddSeconds(1);
        for (int i = 0; i < 1_000; i++)
        {
            limiter.TryAcquire("app:1:ip:10.0.0.1", 100, now); // warm up: create the counter, JIT the path
        }

        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                limiter.TryAcquire("app:1:ip:10.0.0.1", 100, now);
            }
        }));
    }

    private sealed class Limiter(LeasedCounters counters)
    {
        private readonly RateLimiter _limiter = new(counters);
        public LeasedCounters Counters { get; } = counters;

        // The in-process store completes at once, so these tests stay synchronous.
        public RateLimitDecision TryAcquire(string key, int limit, DateTimeOffset now) =>
            _limiter.TryAcquireAsync(key, limit, now).GetAwaiter().GetResult();
    }

    private static Limiter NewLimiter(TimeProvider? clock = null) => new(new LeasedCounters(new ProcessCounterStore(), clock ?? TimeProvider.System));

    /// <summary>Runs <paramref name="call"/> from many threads released at once; returns how many were allowed.</summary>
    private static int CountAllowedConcurrently(int threads, int callsPerThread, Func<int, RateLimitDecision> call)
    {
        int allowed = 0;
        int nextThread = -1;
        using var start = new Barrier(threads);
        RunOnThreads(threads, () =>
        {
            int threadIndex = Interlocked.Increment(ref nextThread);
            start.SignalAndWait();
            int allowedHere = 0;
            for (int i = 0; i < callsPerThread; i++)
            {
                if (call((threadIndex * callsPerThread) + i).Allowed)
                {
                    allowedHere++;
                }
            }

            Interlocked.Add(ref allowed, allowedHere);
        });

        return allowed;
    }

    /// <summary>Runs <paramref name="work"/> on dedicated threads (not the pool, so they truly overlap) and waits for all.</summary>
    private static void RunOnThreads(int threads, Action work)
    {
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() => work());
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }
    }
}
