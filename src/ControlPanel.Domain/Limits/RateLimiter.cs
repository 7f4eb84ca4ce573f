using System.Collections.Concurrent;

namespace ControlPanel.Domain.Limits;

/// <summary>
/// Counts calls per partition in fixed one-minute windows aligned to UTC minute boundaries.
/// One instance serves the whole process (register it as a singleton).
/// </summary>
/// <remarks>
/// Admission is exact under concurrency: every caller in a window increments the same counter
/// with <see cref="Interlocked"/>, so exactly <c>limit</c> calls are allowed per window. A call
/// for a partition that already has a counter in the current window allocates nothing.
/// Partition keys (for example <c>app:{id}:ip:{address}</c> or <c>session:{tokenId}</c>) are
/// built by the caller; the limiter treats them as opaque strings.
/// </remarks>
public sealed class RateLimiter
{
    private static readonly long WindowTicks = RateLimitTable.Window.Ticks;

    private readonly ConcurrentDictionary<string, WindowCounter> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    public RateLimiter(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many partitions currently hold a counter (current or stale).</summary>
    public int PartitionCount => _counters.Count;

    /// <summary>Counts one call against <paramref name="partitionKey"/> at the provider's current time.</summary>
    public RateLimitDecision TryAcquire(string partitionKey, int limit) =>
        TryAcquire(partitionKey, limit, _timeProvider.GetUtcNow());

    /// <summary>Counts one call against <paramref name="partitionKey"/> in the window containing <paramref name="now"/>.</summary>
    /// <param name="partitionKey">Who is being limited; calls with the same key share a counter.</param>
    /// <param name="limit">Calls allowed per window; 0 refuses every call.</param>
    /// <param name="now">The time of the call; only its UTC minute matters.</param>
    public RateLimitDecision TryAcquire(string partitionKey, int limit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);

        long windowStart = WindowStartTicks(now);
        WindowCounter counter = CounterFor(partitionKey, windowStart);

        // Only the first `limit` increments see a value within the limit, which makes admission
        // exact without a lock. Once the window is full, callers stop incrementing, so a flood
        // cannot overflow the counter and does not keep contending for its cache line.
        bool allowed = false;
        int remaining = 0;
        if (Volatile.Read(ref counter.Count) < limit)
        {
            int count = Interlocked.Increment(ref counter.Count);
            allowed = count <= limit;
            remaining = allowed ? limit - count : 0;
        }

        var resetAt = new DateTimeOffset(counter.WindowStartTicks + WindowTicks, TimeSpan.Zero);
        return new RateLimitDecision(allowed, limit, remaining, resetAt);
    }

    /// <summary>
    /// The state of <paramref name="partitionKey"/>'s current window without counting a call: what
    /// the rate-limit headers report on a call refused before it reached the limiter.
    /// </summary>
    public RateLimitDecision Peek(string partitionKey, int limit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);

        long windowStart = WindowStartTicks(now);
        int used = _counters.TryGetValue(partitionKey, out var counter) && counter.WindowStartTicks >= windowStart
            ? Volatile.Read(ref counter.Count)
            : 0;
        int remaining = Math.Max(0, limit - used);
        return new RateLimitDecision(remaining > 0, limit, remaining, new DateTimeOffset(windowStart + WindowTicks, TimeSpan.Zero));
    }

    /// <summary>Drops counters of windows that ended before <paramref name="now"/>'s window; returns how many.</summary>
    /// <remarks>Call periodically so partitions that stop calling do not stay in memory.</remarks>
    public int RemoveExpired(DateTimeOffset now)
    {
        long currentWindowStart = WindowStartTicks(now);
        int removed = 0;
        foreach (var entry in _counters)
        {
            // Removing by key and value leaves a counter alone if a caller has just replaced it.
            if (entry.Value.WindowStartTicks < currentWindowStart && _counters.TryRemove(entry))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary><see cref="RemoveExpired(DateTimeOffset)"/> at the provider's current time.</summary>
    public int RemoveExpired() => RemoveExpired(_timeProvider.GetUtcNow());

    private WindowCounter CounterFor(string partitionKey, long windowStart)
    {
        while (true)
        {
            WindowCounter counter = _counters.GetOrAdd(
                partitionKey,
                static (_, start) => new WindowCounter(start),
                windowStart);

            // A counter from a later window means this call's clock reading is a moment behind
            // another caller's at a minute boundary; counting it in the newer window keeps one
            // counter per window instead of resurrecting the old one.
            if (counter.WindowStartTicks >= windowStart)
            {
                return counter;
            }

            // The window rolled over. Only one caller's replacement wins; the others loop and
            // pick up the winner, so the new window still has a single counter.
            _counters.TryUpdate(partitionKey, new WindowCounter(windowStart), counter);
        }
    }

    private static long WindowStartTicks(DateTimeOffset now)
    {
        long utcTicks = now.UtcTicks;
        return utcTicks - (utcTicks % WindowTicks);
    }

    private sealed class WindowCounter(long windowStartTicks)
    {
        public readonly long WindowStartTicks = windowStartTicks;

        // A field, not a property, so Interlocked can take it by reference.
        public int Count;
    }
}
