namespace ControlPanel.Domain.Limits;

/// <summary>The response header names that report a <see cref="RateLimitDecision"/> (from the Subiz guide).</summary>
public static class RateLimitHeaders
{
    /// <summary>The maximum number of requests allowed in the current window.</summary>
    public const string Limit = "X-RateLimit-Limit";

    /// <summary>The number of requests still allowed in the current window.</summary>
    public const string Remaining = "X-RateLimit-Remaining";

    /// <summary>When the current window resets, as Unix seconds.</summary>
    public const string Reset = "X-RateLimit-Reset";
}
