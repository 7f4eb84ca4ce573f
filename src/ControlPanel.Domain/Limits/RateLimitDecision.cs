namespace ControlPanel.Domain.Limits;

/// <summary>The outcome of one call to <see cref="RateLimiter.TryAcquireAsync(string, int, DateTimeOffset)"/>.</summary>
/// <param name="Allowed">True when the call fits within the limit for the current window.</param>
/// <param name="Limit">The limit the call was checked against.</param>
/// <param name="Remaining">Calls still allowed in this window after this one; never negative.</param>
/// <param name="ResetAt">The end of the current window (UTC), when the count starts again.</param>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetAt)
{
    /// <summary><see cref="ResetAt"/> as a Unix timestamp, the form of the <c>X-RateLimit-Reset</c> header.</summary>
    public long ResetUnixSeconds => ResetAt.ToUnixTimeSeconds();
}
