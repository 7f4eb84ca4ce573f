namespace ControlPanel.Domain.Accounts;

/// <summary>
/// The roles people hold. Staff roles (Admin, Support) are Identity roles across every account; a customer's role is per
/// account, held as an <see cref="AccountMember"/> (Owner, Developer, Viewer), and a <see cref="Accounts.Viewer"/> carries
/// the one of the account it acts in.
/// </summary>
public static class Roles
{
    /// <summary>A member with everything in their account, its members included.</summary>
    public const string Owner = "Owner";
    /// <summary>A member who works on the account's applications, keys, allowlists, views, webhooks and access tokens; not on members.</summary>
    public const string Developer = "Developer";
    /// <summary>A member who reads the account (usage, logs, audit) and changes nothing; never sees a secret.</summary>
    public const string Viewer = "Viewer";
    /// <summary>Platform staff: everything.</summary>
    public const string Admin = "Admin";
    /// <summary>Platform staff: read-only views of usage and logs, never key material.</summary>
    public const string Support = "Support";

    /// <summary>
    /// The Identity roles: staff's, and Owner, which registration still gives a customer (it says "a customer"; their role in
    /// an account is their membership's).
    /// </summary>
    public static readonly IReadOnlyList<string> All = [Owner, Admin, Support];
    public static readonly IReadOnlyList<string> Staff = [Admin, Support];
    /// <summary>A member's roles in an account, most power first.</summary>
    public static readonly IReadOnlyList<string> Members = [Owner, Developer, Viewer];
    public const string StaffPolicyRoles = Admin + "," + Support;
}
