using System.Globalization;
using System.Net;
using System.Text;

namespace ControlPanel.Domain.Email;

/// <summary>A mail's subject and its two bodies.</summary>
public sealed record MailContent(string Subject, string Text, string Html);

/// <summary>
/// Every mail the control panel sends, in one place: each is a greeting, paragraphs, at most one link to act on and a
/// closing line, rendered once as plain text and once as HTML (every value HTML-encoded).
/// </summary>
public static class MailTemplates
{
    // No subject holds text a user typed (an application's name, a passkey's name): a subject is what a mail client shows
    // before anyone opens it, and a notice's extra recipients did not choose the words in it.
    public static MailContent PasswordReset(string name, Uri link, TimeSpan lifetime) => Compose(
        "Reset your ControlPanel password", name,
        ["Someone, hopefully you, asked to reset the password of your ControlPanel account.",
         $"The link below works once, for {InWords(lifetime)}. Choosing a new password signs you out everywhere."],
        ("Choose a new password", link),
        "If you did not ask for this, ignore this mail: your password stays as it is.");

    public static MailContent PasswordResetByAdmin(string name, Uri link, TimeSpan lifetime) => Compose(
        "Choose a new ControlPanel password", name,
        ["A ControlPanel administrator sent you a link to choose a new password.",
         $"The link works once, for {InWords(lifetime)}. Choosing a new password signs you out everywhere."],
        ("Choose a new password", link),
        "Your current password keeps working until you choose a new one.");

    public static MailContent PasswordChanged(string name, DateTime at) => Compose(
        "Your ControlPanel password was changed", name,
        [$"The password of your ControlPanel account was changed on {Utc(at)}, and every other session was signed out."],
        null,
        "If this was not you, ask for a password reset from the sign-in page at once, or contact your administrator.");

    public static MailContent TwoFactorChanged(string name, bool enabled, DateTime at) => Compose(
        enabled ? "Two-factor authentication is on for your ControlPanel account" : "Two-factor authentication was turned off for your ControlPanel account", name,
        [enabled
            ? $"Two-factor authentication was turned on for your ControlPanel account on {Utc(at)}: signing in now also asks for a code from your authenticator app."
            : $"Two-factor authentication was turned off for your ControlPanel account on {Utc(at)}: signing in now asks for your password only."],
        null,
        "If this was not you, change your password at once (or ask for a reset from the sign-in page) and contact your administrator.");

    // The passkey's name is the user's own words to themselves, so it stays in the body, never in the subject.
    public static MailContent PasskeyAdded(string name, string passkey, DateTime at) => Compose(
        "A passkey was added to your ControlPanel account", name,
        [$"The passkey \"{passkey}\" was added to your ControlPanel account on {Utc(at)}: it now signs you in without your password."],
        null,
        "If this was not you, remove it on your account page, change your password at once and contact your administrator.");

    public static MailContent PasskeyRemoved(string name, string passkey, DateTime at) => Compose(
        "A passkey was removed from your ControlPanel account", name,
        [$"The passkey \"{passkey}\" was removed from your ControlPanel account on {Utc(at)}: it no longer signs you in."],
        null,
        "If this was not you, change your password at once (or ask for a reset from the sign-in page) and contact your administrator.");

    public static MailContent NewSignInAddress(string name, string address, DateTime at) => Compose(
        "New sign-in to your ControlPanel account", name,
        [$"Your ControlPanel account was signed in to on {Utc(at)} from a network it had not been used from before ({address})."],
        null,
        "If this was you, there is nothing to do. If not, change your password at once (or ask for a reset from the sign-in page) and turn on two-factor authentication.");

    public static MailContent StaffInvitation(string name, string role, Uri link, DateTime expiresAt) => Compose(
        "You are invited to ControlPanel", name,
        [$"An administrator invited you to ControlPanel as {role}.",
         $"Choose your password with the link below. It works once, until {Utc(expiresAt)}."],
        ("Accept the invitation", link),
        "If you did not expect this, ignore this mail: without a password nobody can use the account.");

    public static MailContent ConfirmEmailChange(string name, Uri link, TimeSpan lifetime) => Compose(
        "Confirm your new ControlPanel address", name,
        ["You asked to sign in to ControlPanel with this address from now on.",
         $"Confirm it with the link below, which works once, for {InWords(lifetime)}. Your address changes when you follow it, and every session of yours is signed out."],
        ("Confirm my new address", link),
        "If you did not ask for this, ignore this mail: nothing changes.");

    public static MailContent EmailChanged(string name, string newEmail, DateTime at) => Compose(
        "Your ControlPanel address was changed", name,
        [$"The address of your ControlPanel account was changed to {newEmail} on {Utc(at)}, and every session was signed out. This address no longer signs in."],
        null,
        "If this was not you, contact your administrator at once.");

    public static MailContent StaffRoleChanged(string name, string role, DateTime at) => Compose(
        "Your ControlPanel role was changed", name,
        [$"An administrator made you {role} on ControlPanel on {Utc(at)}.",
         "Every sign-in of yours was ended and your access tokens were revoked: sign in again to go on with your new role."],
        null,
        "If you did not expect this, contact your administrator.");

    /// <summary>The account's name is in the body only: a subject carries no text a user typed.</summary>
    public static MailContent MemberInvitation(string account, string role, string invitedBy, Uri link, DateTime expiresAt) => Compose(
        "You are invited to join an account on ControlPanel", "",
        [$"{invitedBy} invited you to the account {account} on ControlPanel as {role}.",
         $"Accept with the link below. It works once, until {Utc(expiresAt)}."],
        ("Accept the invitation", link),
        "If you did not expect this, ignore this mail: nothing happens until the link is followed.");

    /// <summary>Always sent to the account's Owners; the account's name and the staff's reason are in the body only.</summary>
    public static MailContent AccountLock(string name, string account, bool locked, string reason, DateTime at) => Compose(
        locked ? "Your ControlPanel account was locked" : "Your ControlPanel account was unlocked", name,
        locked
            ? [$"ControlPanel staff locked the account {account} on {Utc(at)}. Until it is unlocked, every API call with its keys is refused with error 225.",
               $"The reason given: {reason}"]
            : [$"ControlPanel staff unlocked the account {account} on {Utc(at)}. Its keys work again.", $"The reason given: {reason}"],
        null, "Reply to your ControlPanel contact if you have questions.");

    public static MailContent ConfirmEmail(string name, Uri link, TimeSpan lifetime) => Compose(
        "Confirm your email address for ControlPanel", name,
        ["Confirm that this address is yours, so your account can create API keys and we can reach you about it.",
         $"The link works for {InWords(lifetime)}. You can ask for a new one on your account page."],
        ("Confirm my address", link),
        "If you did not register with ControlPanel, ignore this mail.");

    // Says nothing the owner typed (not even the account's name): the recipient did not ask for this mail.
    public static MailContent ConfirmNoticeRecipient(Uri link, TimeSpan lifetime) => Compose(
        "Confirm that you want ControlPanel notices", "",
        ["An owner of an account on ControlPanel asked for this address to get the account's notices (quotas, keys, applications taken offline, webhook endpoints disabled).",
         $"Nothing is sent to it until you confirm with the link below, which works for {InWords(lifetime)}."],
        ("Confirm and get the notices", link),
        "If you did not expect this, ignore this mail: this address gets no notices.");

    public static MailContent QuotaThreshold(string name, string application, int percent, long used, long quota, DateTime month) => Compose(
        $"An application has used {percent}% of its monthly quota", name,
        [$"The application {application} has made {used:N0} counted calls in {Month(month)}: {percent}% of its monthly quota of {quota:N0}.",
         "When the quota is used up, calls run on the overrun allowance, if any, and are then refused with error 103 until the month ends."],
        null, NoticeClosing);

    public static MailContent QuotaOverrun(string name, string application, long used, long quota, DateTime month) => Compose(
        "An application has used up its monthly quota", name,
        [$"The application {application} has made {used:N0} counted calls in {Month(month)}, past its monthly quota of {quota:N0}.",
         "Its calls now run on the overrun allowance, if any, and are then refused with error 103 until the month ends. An administrator can raise the quota."],
        null, NoticeClosing);

    public static MailContent ApplicationOffline(string name, string application, string? reason, DateTime at) => Compose(
        "An application was taken offline", name,
        [$"ControlPanel staff took the application {application} offline on {Utc(at)}. Its API calls are refused until it is back online.",
         reason is null ? "Contact us to learn why, or to bring it back." : $"The reason given: {reason}"],
        null, NoticeClosing);

    public static MailContent KeysRotated(string name, string application, string last4, string by, DateTime at, DateTime? previousExpireAt) => Compose(
        "New keys for an application", name,
        [$"{by} rotated the keys of {application} on {Utc(at)}: the new application key ends in {last4}.",
         previousExpireAt is { } end ? $"The keys used until now keep working until {Utc(end)}." : "No earlier key pair was live."],
        null, NoticeClosing);

    public static MailContent KeysRevoked(string name, string application, string last4, string by, DateTime at) => Compose(
        "A key pair of an application was revoked", name,
        [$"{by} revoked the key pair of {application} whose application key ends in {last4}, on {Utc(at)}. Calls with it are refused from now on."],
        null, NoticeClosing);

    /// <summary><paramref name="why"/> completes "was disabled on ...: ", e.g. "its last 10 deliveries all failed".</summary>
    public static MailContent WebhookEndpointDisabled(string name, string url, string why, DateTime at) => Compose(
        "A webhook endpoint was disabled", name,
        [$"The webhook endpoint {url} was disabled on {Utc(at)}: {why}.",
         "No events are sent to it until an owner turns it back on from the endpoint's page, after checking that it answers. Turning it back on offers to replay what it missed."],
        null, NoticeClosing);

    private const string NoticeClosing = "You get this notice as an owner of the account, or as one of its extra recipients. Owners choose their notices on their account page.";

    private static string Month(DateTime month) => month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    private static MailContent Compose(string subject, string name, IReadOnlyList<string> paragraphs, (string Label, Uri Link)? action, string closing)
    {
        var greeting = string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hello {name},";

        var text = new StringBuilder().AppendLine(greeting).AppendLine();
        foreach (var paragraph in paragraphs) text.AppendLine(paragraph).AppendLine();
        if (action is { } a) text.AppendLine($"{a.Label}:").AppendLine(a.Link.AbsoluteUri).AppendLine();
        text.AppendLine(closing).AppendLine().AppendLine("ControlPanel");

        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(subject)).Append("</title></head>")
            .Append("<body style=\"font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;color:#1f2937;max-width:560px;margin:0 auto;padding:16px\">")
            .Append("<p>").Append(Encode(greeting)).Append("</p>");
        foreach (var paragraph in paragraphs) html.Append("<p>").Append(Encode(paragraph)).Append("</p>");
        if (action is { } b)
        {
            var href = Encode(b.Link.AbsoluteUri);
            html.Append("<p><a href=\"").Append(href).Append("\" style=\"display:inline-block;background:#1e40af;color:#ffffff;padding:10px 16px;border-radius:4px;text-decoration:none\">")
                .Append(Encode(b.Label)).Append("</a></p>")
                .Append("<p style=\"font-size:13px;color:#4b5563\">Or open this address: <a href=\"").Append(href).Append("\" style=\"word-break:break-all\">").Append(href).Append("</a></p>");
        }
        html.Append("<p>").Append(Encode(closing)).Append("</p><p>ControlPanel</p></body></html>");
        return new MailContent(subject, text.ToString(), html.ToString());
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A link's lifetime in words: "3 days", "1 hour", "30 minutes". The pages say it the same way as the mails.</summary>
    public static string InWords(TimeSpan span) =>
        span.TotalHours % 24 == 0 ? (span.TotalDays == 1 ? "1 day" : $"{span.TotalDays:0} days")
        : span.TotalMinutes % 60 == 0 ? (span.TotalHours == 1 ? "1 hour" : $"{span.TotalHours:0} hours")
        : span.TotalMinutes == 1 ? "1 minute" : $"{span.TotalMinutes:0} minutes";
}
