using ControlPanel.Domain.Applications;

namespace ControlPanel.Domain.Keys;

/// <summary>
/// An APPLICATIONKEY and CONSUMERKEY pair. Only SHA-256 hashes and the last four characters are
/// stored; the keys themselves are shown once, when issued.
/// </summary>
public class KeyPair
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid ApplicationId { get; set; }
    public Application? Application { get; set; }

    public required string ApplicationKeyHash { get; set; }
    public required string ConsumerKeyHash { get; set; }
    public required string ApplicationKeyLast4 { get; set; }
    public required string ConsumerKeyLast4 { get; set; }

    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    /// <summary>Written from the validation path in batches, not per request.</summary>
    public DateTime? LastUsedAt { get; set; }
    /// <summary>Set when the pair was rolled over: it stays valid until then.</summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    public bool IsLive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
