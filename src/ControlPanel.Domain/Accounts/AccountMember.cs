namespace ControlPanel.Domain.Accounts;

/// <summary>
/// A person's place in one account: their role there (<see cref="Roles.Owner"/>, <see cref="Roles.Developer"/> or
/// <see cref="Roles.Viewer"/>). A person may be a member of several accounts, with a role in each; an account always keeps
/// at least one Owner.
/// </summary>
public class AccountMember : IAccountOwned
{
    public const int RoleMaxLength = 20;

    public Guid AccountId { get; set; }
    public Account? Account { get; set; }
    public required string UserId { get; set; }
    public ControlPanelUser? User { get; set; }
    public required string Role { get; set; }
    /// <summary>When they joined; their accounts are listed in this order, the first being where they land after signing in.</summary>
    public DateTime CreatedAt { get; set; }
}
