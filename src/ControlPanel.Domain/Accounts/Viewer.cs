namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Who is asking, as every domain service sees it. The UI builds one from the signed-in user;
/// services decide from it what may be seen or changed, so the rule lives in one place.
/// </summary>
public sealed record Viewer(string UserId, string Name, string Role, Guid? AccountId, string? ClientIp = null)
{
    public bool IsAdmin => Role == Roles.Admin;
    public bool IsSupport => Role == Roles.Support;
    public bool IsOwner => Role == Roles.Owner;
    public bool IsStaff => IsAdmin || IsSupport;

    /// <summary>
    /// True for a read-only access token acting for its creator: it reads what the creator reads and changes nothing.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// The browser sign-in the viewer acts through (<see cref="UserSignIn"/>), so that their own change (a new password,
    /// two-factor off) ends their other sign-ins and keeps this one; null for an access token.
    /// </summary>
    public Guid? SignInId { get; init; }

    /// <summary>Staff read every account; an owner reads only their own.</summary>
    public bool CanRead(Guid accountId) => IsStaff || (IsOwner && AccountId == accountId);

    /// <summary>Admins change any account; an owner changes only their own; support changes nothing.</summary>
    public bool CanChange(Guid accountId) => !ReadOnly && (IsAdmin || (IsOwner && AccountId == accountId));

    /// <summary>Admins change what only Admins may (limits, quotas, locks, staff, password resets); a read-only token acting for one does not.</summary>
    public bool CanAdminister => IsAdmin && !ReadOnly;

    /// <summary>
    /// The control panel itself, as the actor of what it does on its own (a failing webhook endpoint disabled): named in
    /// the audit log, and with no role, so no service lets it read or change anything.
    /// </summary>
    public static Viewer System(string what) => new("system", what, Role: "", AccountId: null);
}
