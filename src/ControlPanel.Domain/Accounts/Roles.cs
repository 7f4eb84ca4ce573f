namespace ControlPanel.Domain.Accounts;

/// <summary>The three kinds of people who use the control panel.</summary>
public static class Roles
{
    /// <summary>A customer who owns an account and its applications.</summary>
    public const string Owner = "Owner";
    /// <summary>Platform staff: everything.</summary>
    public const string Admin = "Admin";
    /// <summary>Platform staff: read-only views of usage and logs, never key material.</summary>
    public const string Support = "Support";

    public static readonly IReadOnlyList<string> All = [Owner, Admin, Support];
    public static readonly IReadOnlyList<string> Staff = [Admin, Support];
    public const string StaffPolicyRoles = Admin + "," + Support;
}
