using ControlPanel.Domain.Limits;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Requests;

/// <summary>
/// Each client address's window of refused calls (Api:RefusedCallsPerAddressPerMinute), shared by everything that takes
/// a guessable credential: API keys and session tokens at the key check, access tokens at the management API. An address
/// whose window is used up is refused (158) before its credential is even looked at, so guessing cannot go on at the
/// speed of the check, and a hit is not told from a miss meanwhile.
/// </summary>
public sealed class RefusedCalls(RateLimiter limiter, IOptions<ApiOptions> options)
{
    /// <summary>The rate-limit partition of an address's refused calls: <c>r:</c> and its <see cref="ClientAddressGroup"/>.</summary>
    public const string PartitionPrefix = "r:";

    private readonly int _limit = options.Value.RefusedCallsPerAddressPerMinute;

    /// <summary>The 158 <c>extraInfo</c> for an address whose refused calls used up their window.</summary>
    public string Message { get; } = AttemptsMessage(options.Value.RefusedCallsPerAddressPerMinute);

    /// <summary>
    /// The used-up window when <paramref name="address"/> (a <see cref="ClientAddressGroup"/>) may not try again yet;
    /// null when it may. Over several instances, each blocks once it finds nothing left to lease, so at most the limit is refused in all.
    /// </summary>
    public RateLimitDecision? Blocked(string address, DateTimeOffset now)
    {
        var partition = PartitionPrefix + address;
        return limiter.IsUsedUp(partition, _limit, now) ? limiter.Peek(partition, _limit, now) with { Allowed = false, Remaining = 0 } : null;
    }

    /// <summary>Counts one refused call against the address; not allowed means this call went over the limit and answers 158 instead.</summary>
    public ValueTask<RateLimitDecision> CountAsync(string address, DateTimeOffset now) => limiter.TryAcquireAsync(PartitionPrefix + address, _limit, now);

    public static string AttemptsMessage(int limit) =>
        $"More than {limit} calls from this address were refused in one minute (unknown keys, bad headers or unknown tokens). Please wait until the window resets (X-RateLimit-Reset) before attempting again.";
}
