namespace ControlPanel.Domain.Email;

/// <summary>
/// One mail waiting to be sent, written in the same transaction as the change that causes it, so the change and
/// its mail are saved together or not at all. <see cref="MailDispatcher"/> sends it; once sent its bodies are
/// cleared (they may hold a one-time link) and the row stays as a record of what went to whom.
/// </summary>
public class OutboxMail
{
    public const int AddressMaxLength = 256;
    public const int SubjectMaxLength = 200;
    public const int KindMaxLength = 40;
    public const int ErrorMaxLength = 1000;

    public Guid Id { get; set; } = Guid.NewGuid();
    /// <summary>What the mail is about, from <see cref="MailKinds"/>; also what the per-address limits count.</summary>
    public required string Kind { get; set; }
    public required string To { get; set; }
    /// <summary>The user the mail is for, when it is for a user (a reset, a notice), so limits can count per user.</summary>
    public string? UserId { get; set; }
    public required string Subject { get; set; }
    public required string TextBody { get; set; }
    public required string HtmlBody { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the next attempt is due.</summary>
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    /// <summary>While set and in the future, one dispatcher (of possibly several instances) is sending it.</summary>
    public DateTime? ClaimedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Set when the last attempt failed: the mail is not tried again.</summary>
    public DateTime? FailedAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>The kinds of mail the control panel sends.</summary>
public static class MailKinds
{
    public const string PasswordReset = "password_reset";
    public const string PasswordChanged = "password_changed";
    public const string TwoFactorChanged = "two_factor_changed";
    public const string PasskeyChanged = "passkey_changed";
    public const string NewSignInAddress = "new_sign_in_address";
    public const string StaffInvitation = "staff_invitation";
    public const string MemberInvitation = "member_invitation";
    public const string AccountLocked = "account_locked";
    public const string AccountUnlocked = "account_unlocked";
    public const string ConfirmEmail = "confirm_email";
    public const string QuotaNotice = "quota_notice";
    public const string ApplicationOffline = "application_offline";
    public const string KeysChanged = "keys_changed";
    public const string WebhookEndpointDisabled = "webhook_endpoint_disabled";
    public const string NoticeRecipientConfirmation = "notice_recipient_confirmation";
    public const string StaffRoleChanged = "staff_role_changed";
    public const string EmailChange = "email_change";
    public const string EmailChanged = "email_changed";
}
