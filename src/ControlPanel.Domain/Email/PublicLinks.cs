namespace ControlPanel.Domain.Email;

/// <summary>The links people follow from mails (and that an Admin is shown when no mail can carry them), in one place.</summary>
public static class PublicLinks
{
    public const string ResetPasswordPath = "Account/ResetPassword";
    public const string AcceptInvitationPath = "Account/AcceptInvitation";
    public const string ConfirmEmailPath = "Account/ConfirmEmail";
    public const string ConfirmNoticeRecipientPath = "Account/ConfirmNotices";
    public const string ChangeEmailPath = "Account/ConfirmEmailChange";
    public const string JoinAccountPath = "Account/JoinAccount";

    public static Uri PasswordReset(EmailOptions options, string userId, string token) => WithUserToken(options.LinkBase(), ResetPasswordPath, userId, token);

    public static Uri Invitation(Uri linkBase, string userId, string token) => WithUserToken(linkBase, AcceptInvitationPath, userId, token);

    public static Uri ConfirmEmail(EmailOptions options, string userId, string token) => WithUserToken(options.LinkBase(), ConfirmEmailPath, userId, token);

    public static Uri ChangeEmail(EmailOptions options, string userId, string newEmail, string token) =>
        new(WithUserToken(options.LinkBase(), ChangeEmailPath, userId, token).AbsoluteUri + $"&email={Uri.EscapeDataString(newEmail)}");

    public static Uri ConfirmNoticeRecipient(EmailOptions options, string token) =>
        new(options.LinkBase(), $"{ConfirmNoticeRecipientPath}?token={Uri.EscapeDataString(token)}");

    /// <summary>An invitation to join an account: the token alone names it (it is 256 random bits).</summary>
    public static Uri JoinAccount(Uri linkBase, string token) => new(linkBase, $"{JoinAccountPath}?token={Uri.EscapeDataString(token)}");

    private static Uri WithUserToken(Uri linkBase, string path, string userId, string token) =>
        new(linkBase, $"{path}?userId={Uri.EscapeDataString(userId)}&token={Uri.EscapeDataString(token)}");
}
