using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// A signed-in user changes the address they sign in with: their password proves it is them, the new address is mailed a
/// link, and nothing changes until it is followed. Then the address (and the sign-in name) changes, the old address is
/// told, and every sign-in and access token of theirs ends, as after a password change.
/// </summary>
public sealed class EmailChange(
    ControlPanelDbContext db, UserManager<ControlPanelUser> users, IOptions<DataProtectionTokenProviderOptions> tokens, IOptions<EmailOptions> email,
    TimeProvider clock, ChangeFeed changes)
{
    /// <summary>Links one user may be sent per hour.</summary>
    public const int MailsPerHour = 5;

    public sealed class Form
    {
        [Required(ErrorMessage = "Enter the new address."), EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
        public string NewEmail { get; set; } = "";

        [Required(ErrorMessage = "Enter your password."), DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }

    /// <summary>How long a link works.</summary>
    public TimeSpan LinkLifetime => tokens.Value.TokenLifespan;

    /// <summary>
    /// Mails the new address its link. A wrong password counts towards lockout. An address another user has answers the
    /// same and sends nothing, so the form does not tell who has an account.
    /// </summary>
    public async Task RequestAsync(Viewer viewer, Form form)
    {
        if (viewer.ReadOnly) throw new AccessDeniedException();
        FormValidation.ThrowIfInvalid(form);
        var user = await users.FindByIdAsync(viewer.UserId) ?? throw new AccessDeniedException();
        if (await users.IsLockedOutAsync(user)) throw new ValidationException(PasswordRecovery.LockedOut);
        if (!await users.CheckPasswordAsync(user, form.Password))
        {
            await users.AccessFailedAsync(user);
            throw new ValidationException(await users.IsLockedOutAsync(user) ? PasswordRecovery.LockedOut : "That is not your password.");
        }
        await users.ResetAccessFailedCountAsync(user);
        var address = form.NewEmail.Trim();
        if (string.Equals(address, user.Email, StringComparison.OrdinalIgnoreCase)) throw new ValidationException("That is your address already.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (await MailOutbox.CountSinceAsync(db, MailKinds.EmailChange, user.Id, now.AddHours(-1)) >= MailsPerHour)
            throw new ValidationException("Several links were sent in the last hour: use the newest one, or try again later.");
        if (await users.FindByEmailAsync(address) is not null) return;

        var link = PublicLinks.ChangeEmail(email.Value, user.Id, address, await users.GenerateChangeEmailTokenAsync(user, address));
        MailOutbox.Add(db, MailKinds.EmailChange, address, MailTemplates.ConfirmEmailChange(user.DisplayName, link, LinkLifetime), now, user.Id);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The link was followed: the address and sign-in name change, the old address is told, and every sign-in and access
    /// token of the user ends on every instance (they sign in again with the new address). False for a bad, used or expired link.
    /// </summary>
    public async Task<bool> ConfirmAsync(string? userId, string? newEmail, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(newEmail) || string.IsNullOrEmpty(token)) return false;
        var user = await users.FindByIdAsync(userId);
        if (user is null || StaffAdministration.IsDisabled(user)) return false;
        var old = user.Email!;
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Checks the link (made for this address, by this stamp: it works once), marks the address confirmed, and changes the stamp.
        if (!(await users.ChangeEmailAsync(user, newEmail, token)).Succeeded) return false;
        if (!(await users.SetUserNameAsync(user, newEmail)).Succeeded) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        var revoked = await SignInEndings.RevokeTokensAsync(db, user.Id, now);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        AuditLog.Record(db, new Viewer(user.Id, user.DisplayName, role, user.AccountId), now, AuditActions.EmailChanged, user.AccountId, null,
            $"{old} changed their address to {newEmail}; every session was signed out" + (revoked > 0 ? $", {revoked} access token(s) revoked" : ""));
        MailOutbox.Add(db, MailKinds.EmailChanged, old, MailTemplates.EmailChanged(user.DisplayName, newEmail, now), now, user.Id);
        await SignInEndings.SaveAsync(changes, db, user.Id);
        return true;
    }
}
