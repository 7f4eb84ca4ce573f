using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Domain.AccessTokens;

/// <summary>The management API's limits (section <c>AccessTokens</c>).</summary>
public sealed class AccessTokenOptions
{
    public const string Section = "AccessTokens";

    /// <summary>Calls one access token may make per minute (UTC minute windows, exact across instances); then 158 (429).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// How long the answer of a write sent with an Idempotency-Key (a rotate, a new application) is kept, encrypted with the
    /// key ring, for a retry with the same key and token to get the same answer instead of writing again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(1);
}
