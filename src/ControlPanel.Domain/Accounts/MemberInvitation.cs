namespace ControlPanel.Domain.Accounts;

/// <summary>
/// An Owner's (or an Admin's) invitation of a person, by email, to join an account with a role. Only the SHA-256 of its
/// link's token is kept; the link works once, until <see cref="ExpiresAt"/>, and a new one sent replaces it.
/// </summary>
public class MemberInvitation : IAccountOwned
{
    public const int EmailMaxLength = 256;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid AccountId { get; set; }
    public Account? Account { get; set; }
    public required string Email { get; set; }
    public required string Role { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the link now in force was sent.</summary>
    public DateTime SentAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public required string InvitedBy { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public string? AcceptedByUserId { get; set; }
    public DateTime? RevokedAt { get; set; }

    public bool IsPending => AcceptedAt is null && RevokedAt is null;
}
