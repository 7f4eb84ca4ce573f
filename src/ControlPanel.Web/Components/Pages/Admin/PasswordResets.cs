using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Email;
using ControlPanel.Web.Components.Shared;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Admin;

/// <summary>An Admin sends password reset links (from the accounts page to owners, from the staff page to staff), the same way on both.</summary>
public static class PasswordResets
{
    public static async Task SendAsync(IDialogService dialogs, ChangeRunner changes, PasswordRecovery recovery, IReadOnlyList<PasswordRecovery.Recipient> people)
    {
        if (people.Count == 0)
        {
            await changes.RunAsync(_ => throw new System.ComponentModel.DataAnnotations.ValidationException("Nobody here has a password to reset yet."));
            return;
        }
        var names = string.Join(", ", people.Select(p => p.Email));
        if (!await dialogs.ConfirmAsync("Send a password reset",
                $"Send {names} a link to choose a new password? It works once, for {MailTemplates.InWords(recovery.LinkLifetime)}; their current password keeps working until then.",
                "Send")) return;

        var sent = new List<PasswordRecovery.SentReset>();
        var result = await changes.RunAsync(async viewer =>
        {
            foreach (var person in people) sent.Add(await recovery.SendByAdminAsync(viewer, person.UserId));
        }, $"Sent a password reset link to {names}.");
        // Without a mail server the link is the only way forward: shown once, as an invitation link is.
        if (result.Succeeded && sent.Any(s => !s.Mailed))
            await dialogs.ShowOneTimeSecretsAsync("Password reset links",
                sent.Select((s, i) => new OneTimeSecret(s.Email, s.Link.AbsoluteUri, $"reset-link-{i}")).ToList(),
                "No mail server is configured, so the mails were only written to the mail folder: pass each person their link. It is shown only now.",
                "I have passed the links on");
    }
}
