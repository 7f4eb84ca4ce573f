namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Who is asking, as every domain service sees it. The UI builds one from the signed-in user and the account they act in
/// (<see cref="AccountMembers.ActingAsync"/>); services decide from it what may be seen or changed, so the rule lives in one place.
/// </summary>
/// <param name="Role">Staff's role (Admin, Support), or a member's role in <paramref name="AccountId"/> (Owner, Developer, Viewer).</param>
/// <param name="AccountId">The account a member acts in; staff act in none (they read every account).</param>
public sealed record Viewer(string UserId, string Name, string Role, Guid? AccountId, string? ClientIp = null)
{
    public bool IsAdmin => Role == Roles.Admin;
    public bool IsSupport => Role == Roles.Support;
    public bool IsOwner => Role == Roles.Owner;
    public bool IsDeveloper => Role == Roles.Developer;
    /// <summary>A member with the read-only role <see cref="Roles.Viewer"/>.</summary>
    public bool IsAccountViewer => Role == Roles.Viewer;
    public bool IsStaff => IsAdmin || IsSupport;
    /// <summary>A member of the account they act in, with any member role.</summary>
    public bool IsMember => AccountId is not null && (IsOwner || IsDeveloper || IsAccountViewer);

    /// <summary>
    /// True for a read-only access token acting for its creator: it reads what the creator reads and changes nothing.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// The browser sign-in the viewer acts through (<see cref="UserSignIn"/>), so that their own change (a new password,
    /// two-factor off) ends their other sign-ins and keeps this one; null for an access token.
    /// </summary>
    public Guid? SignInId { get; init; }

    /// <summary>
    /// Support and members with the Viewer role read without ever seeing a secret: not even a key's last four characters
    /// (in the key list, the audit log or a logged response).
    /// </summary>
    public bool SeesNoSecrets => IsSupport || IsAccountViewer;

    /// <summary>Staff read every account; a member reads only the account they act in.</summary>
    public bool CanRead(Guid accountId) => IsStaff || (IsMember && AccountId == accountId);

    /// <summary>
    /// Admins change any account; an Owner or Developer changes only the one they act in (applications, keys, allowlists,
    /// views, webhooks); Support and the Viewer role change nothing.
    /// </summary>
    public bool CanChange(Guid accountId) => !ReadOnly && (IsAdmin || ((IsOwner || IsDeveloper) && AccountId == accountId));

    /// <summary>Admins manage any account's members; an Owner those of the account they act in; nobody else.</summary>
    public bool CanManageMembers(Guid accountId) => !ReadOnly && (IsAdmin || (IsOwner && AccountId == accountId));

    /// <summary>True when the viewer may make something new: an Admin in an account they choose, an Owner or Developer in their own.</summary>
    public bool CanCreate => CanAdminister || (AccountId is { } own && CanChange(own));

    /// <summary>Admins change what only Admins may (limits, quotas, locks, staff, password resets); a read-only token acting for one does not.</summary>
    public bool CanAdminister => IsAdmin && !ReadOnly;

    /// <summary>
    /// The control panel itself, as the actor of what it does on its own (a failing webhook endpoint disabled): named in
    /// the audit log, and with no role, so no service lets it read or change anything.
    /// </summary>
    public static Viewer System(string what) => new("system", what, Role: "", AccountId: null);
}
