using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Domain.Accounts;

/// <summary>The "AccountSecurity" section: sign-in lockout, throttling per address, password rules and two-factor for staff.</summary>
public sealed class AccountSecurityOptions
{
    public const string Section = "AccountSecurity";

    /// <summary>Failed sign-ins in a row before the user is locked out.</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a lockout lasts.</summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Shortest password accepted; stated under every password field.</summary>
    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 10;

    /// <summary>
    /// Sign-in, two-factor and registration form posts one client address (an IPv6 client's /64) may make per
    /// <see cref="SignInPostWindowMinutes"/>; beyond it they answer 429 until the window ends.
    /// </summary>
    [Range(1, 100_000)]
    public int SignInPostsPerAddress { get; set; } = 20;

    [Range(1, 24 * 60)]
    public int SignInPostWindowMinutes { get; set; } = 1;

    /// <summary>How long a staff invitation link works before the Admin must send a new one.</summary>
    [Range(1, 30 * 24)]
    public int InvitationLinkHours { get; set; } = 72;

    /// <summary>
    /// Admin and Support must use two-factor sign-in: one without it is sent to set it up at their next sign-in and sees
    /// nothing else until it is on, and cannot turn it off.
    /// </summary>
    public bool RequireTwoFactorForStaff { get; set; } = true;

    /// <summary>How long a password reset link (from "Forgot password?" or sent by an Admin) works.</summary>
    [Range(5, 24 * 60)]
    public int PasswordResetLinkMinutes { get; set; } = 60;

    /// <summary>Reset mails one user may be sent per hour, however many people ask; beyond it requests send nothing (the answer is the same).</summary>
    [Range(1, 100)]
    public int PasswordResetMailsPerAddressPerHour { get; set; } = 3;

    /// <summary>
    /// Whether a new owner must confirm their email address (a mailed link) before the account can create keys.
    /// Unset: on when an SMTP server is configured (Email:Host), off otherwise.
    /// </summary>
    public bool? RequireConfirmedEmail { get; set; }
}
