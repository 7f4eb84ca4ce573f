namespace ControlPanel.Domain.Accounts;

/// <summary>A customer organisation: it owns applications and their keys, and is what a lock applies to.</summary>
public class Account
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>A locked account's calls answer error 225 ACCOUNT IS LOCKED.</summary>
    public bool IsLocked { get; set; }
    public DateTime? LockedAt { get; set; }
    public const int LockReasonMaxLength = 500;
    /// <summary>Why staff locked the account, shown to its members in the panel while it is locked (and mailed to its Owners).</summary>
    public string? LockReason { get; set; }

    /// <summary>
    /// When its Owner deleted it; null while it is in use. From then on its keys are unknown and its members cannot act in it;
    /// staff can restore it until the grace period (Accounts:DeletionGraceDays) ends, when its personal data is erased.
    /// </summary>
    public DateTime? DeletionRequestedAt { get; set; }
    public string? DeletionRequestedBy { get; set; }
    /// <summary>When its personal data was erased after the grace period; it cannot be restored after.</summary>
    public DateTime? ErasedAt { get; set; }

    /// <summary>Deleted by its Owner and still restorable.</summary>
    public bool IsPendingDeletion => DeletionRequestedAt is not null && ErasedAt is null;
}
