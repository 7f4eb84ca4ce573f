namespace ControlPanel.Domain.Limits;

/// <summary>
/// Counts calls per partition in fixed one-minute windows aligned to UTC minute boundaries, exact
/// across instances (the windows are <see cref="LeasedCounters"/>). Partition keys (for example
/// <c>a:{id}:{address}</c> or <c>s:{sessionId}</c>) are built by the caller and treated as opaque.
/// </summary>
public sealed class RateLimiter(LeasedCounters counters)
{
    private static readonly long WindowTicks = RateLimitTable.Window.Ticks;

    /// <summary>Counts one call against <paramref name="partitionKey"/> in the window containing <paramref name="now"/>.</summary>
    /// <param name="partitionKey">Who is being limited; calls with the same key share a window.</param>
    /// <param name="limit">Calls allowed per window; 0 refuses every call.</param>
    /// <param name="now">The time of the call; only its UTC minute matters.</param>
    public async ValueTask<RateLimitDecision> TryAcquireAsync(string partitionKey, int limit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var (start, end) = Window(now);
        var count = await counters.TryCountAsync(partitionKey, start, end, limit);
        return new RateLimitDecision(count.Allowed, limit, Remaining(limit, count.Used), new DateTimeOffset(count.PeriodEnd));
    }

    /// <summary>
    /// The state of <paramref name="partitionKey"/>'s current window without counting a call: what
    /// the rate-limit headers report on a call refused before it reached the limiter.
    /// </summary>
    public RateLimitDecision Peek(string partitionKey, int limit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var (start, end) = Window(now);
        var remaining = Remaining(limit, counters.Peek(partitionKey, start));
        return new RateLimitDecision(remaining > 0, limit, remaining, new DateTimeOffset(end));
    }

    /// <summary>
    /// Would a call against <paramref name="partitionKey"/> be refused now? Unlike <see cref="Peek"/>, this also knows
    /// when other instances have used the window up (this one found nothing left to lease), without counting a call.
    /// </summary>
    public bool IsUsedUp(string partitionKey, int limit, DateTimeOffset now) =>
        limit == 0 || counters.IsUsedUp(partitionKey, Window(now).Start, limit);

    private static int Remaining(int limit, long used) => (int)Math.Max(0, limit - used);

    private static (DateTime Start, DateTime End) Window(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - (now.UtcTicks % WindowTicks);
        return (new DateTime(ticks, DateTimeKind.Utc), new DateTime(ticks + WindowTicks, DateTimeKind.Utc));
    }
}
