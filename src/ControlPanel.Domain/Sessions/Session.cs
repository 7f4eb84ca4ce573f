namespace ControlPanel.Domain.Sessions;

/// <summary>
/// A session opened with an application's keys: its Bearer token carries per-user rate limits and
/// a view. Only the token's SHA-256 hash is stored; the token is returned once, when created.
/// The row outlives the token for <see cref="SessionOptions.ActivityRetentionDays"/>, so its activity can still be read.
/// </summary>
public class Session
{
    /// <summary>The seed: a session token "will expire 2 hours after generation".</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    /// <summary>How long an expired session is remembered, so its token answers 113 TOKEN EXPIRED rather than 114 INVALID TOKEN.</summary>
    public static readonly TimeSpan ExpiredRetention = TimeSpan.FromHours(24);

    /// <summary>Long enough for any IPv6 address as text.</summary>
    public const int AddressMaxLength = 64;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid ApplicationId { get; set; }
    public Guid KeyPairId { get; set; }
    public required string TokenHash { get; set; }
    public required string View { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the token stops working: 2 hours after opening, or when an owner or admin ended it.</summary>
    public DateTime ExpiresAt { get; set; }
    /// <summary>The client address that opened the session, as resolved through trusted proxies; empty when unknown.</summary>
    public string OpenedFrom { get; set; } = "";
    /// <summary>Set when an owner or admin ended the session before it expired.</summary>
    public DateTime? EndedAt { get; set; }
    public string? EndedBy { get; set; }
}
