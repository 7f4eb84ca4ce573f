using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// The reset links' own token settings (configured by the host from AccountSecurity), apart from the staff
/// invitations', which last days rather than an hour.
/// </summary>
public sealed class PasswordResetOptions : DataProtectionTokenProviderOptions
{
    public const string ProviderName = "PasswordReset";

    public PasswordResetOptions()
    {
        Name = ProviderName;
        TokenLifespan = TimeSpan.FromHours(1);
    }

    /// <summary>Reset mails one user may be sent per hour, however many people ask; further requests send nothing.</summary>
    public int MailsPerAddressPerHour { get; set; } = 3;
}

/// <summary>Identity's data-protection tokens with the reset links' lifespan.</summary>
public sealed class PasswordResetTokenProvider(
    IDataProtectionProvider protection, IOptions<PasswordResetOptions> options, ILogger<DataProtectorTokenProvider<ControlPanelUser>> logger)
    : DataProtectorTokenProvider<ControlPanelUser>(protection, options, logger);

/// <summary>
/// "Forgot password?": a link by mail that works once and expires, for anyone who knows the address (the answer
/// never says whether it belongs to an account), or sent by an Admin. Choosing the new password changes the
/// security stamp, which ends the link and every session of the user.
/// </summary>
public sealed class PasswordRecovery(
    ControlPanelDbContext db, UserManager<ControlPanelUser> users, IOptions<PasswordResetOptions> resets, IOptions<EmailOptions> email, TimeProvider clock,
    ChangeFeed changes)
{
    private const string Purpose = "ResetPassword";

    public sealed class RequestForm
    {
        [Required(ErrorMessage = "Enter your email address."), EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
        public string Email { get; set; } = "";
    }

    /// <summary>A reset an Admin sent: the link is returned so the Admin can pass it on when no SMTP server is configured.</summary>
    public sealed record SentReset(string Email, Uri Link, bool Mailed);

    public sealed record Recipient(string UserId, string Email, string DisplayName);

    /// <summary>How long a link works.</summary>
    public TimeSpan LinkLifetime => resets.Value.TokenLifespan;

    /// <summary>
    /// Mails a reset link when the address belongs to a user who has a password, unless that user was sent
    /// <see cref="PasswordResetOptions.MailsPerAddressPerHour"/> already this hour. Always returns alike, and does the
    /// same work either way (the limit's count, a link's token, the mail, one outbox row saved), so the time the answer
    /// takes does not tell which addresses have accounts: a request that sends nothing saves a withheld row instead.
    /// </summary>
    public async Task RequestAsync(string address)
    {
        var user = await users.FindByEmailAsync(address.Trim());
        var eligible = user is not null && await users.HasPasswordAsync(user);
        // Nobody's: a fresh id and stamp, so its link is shaped like a real one and works for no one.
        var recipient = eligible ? user! : new ControlPanelUser { UserName = "", Email = "", SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) };
        var now = clock.GetUtcNow().UtcDateTime;
        var sentThisHour = await MailOutbox.CountSinceAsync(db, MailKinds.PasswordReset, recipient.Id, now.AddHours(-1));
        var mail = MailTemplates.PasswordReset(recipient.DisplayName, await LinkAsync(recipient), LinkLifetime);
        if (eligible && sentThisHour < resets.Value.MailsPerAddressPerHour)
            MailOutbox.Add(db, MailKinds.PasswordReset, user!.Email!, mail, now, user.Id);
        else
            MailOutbox.AddWithheld(db, MailKinds.PasswordReset, mail, now);
        await db.SaveChangesAsync();
    }

    /// <summary>The owners of an account, for the Admin's accounts page.</summary>
    public async Task<IReadOnlyList<Recipient>> OwnersAsync(Viewer viewer, Guid accountId)
    {
        if (!viewer.IsAdmin) throw new AccessDeniedException();
        return await db.Users.AsNoTracking().Where(u => u.AccountId == accountId && u.PasswordHash != null)
            .OrderBy(u => u.Email).Select(u => new Recipient(u.Id, u.Email!, u.DisplayName)).ToListAsync();
    }

    /// <summary>An Admin sends a user a reset link; the user's password keeps working until they choose a new one.</summary>
    public async Task<SentReset> SendByAdminAsync(Viewer viewer, string userId)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        var user = await users.FindByIdAsync(userId) ?? throw new ValidationException("This user no longer exists.");
        if (!await users.HasPasswordAsync(user))
            throw new ValidationException($"{user.Email} has not chosen a password yet: send a new invitation instead.");
        var now = clock.GetUtcNow().UtcDateTime;
        var link = await LinkAsync(user);
        MailOutbox.Add(db, MailKinds.PasswordReset, user.Email!, MailTemplates.PasswordResetByAdmin(user.DisplayName, link, LinkLifetime), now, user.Id);
        AuditLog.Record(db, viewer, now, AuditActions.PasswordResetSent, user.AccountId, null, $"Sent a password reset link to {user.Email}");
        await db.SaveChangesAsync();
        return new SentReset(user.Email!, link, email.Value.IsSmtpConfigured);
    }

    /// <summary>Whether a link still works; nothing changes. The reset page asks before anyone types a password.</summary>
    public async Task<bool> IsValidAsync(string? userId, string? token) => await UserOfAsync(userId, token) is not null;

    /// <summary>Sets the new password, ends every session, token and the link, lifts a sign-in lockout (not an Admin's disabling), and tells the user by mail.</summary>
    public async Task<IdentityResult> ResetAsync(string? userId, string? token, string password)
    {
        var user = await UserOfAsync(userId, token);
        if (user is null || StaffAdministration.IsDisabled(user))
            return IdentityResult.Failed(new IdentityError { Code = "ResetLink", Description = "This reset link has expired or was already used. Ask for a new one." });

        // The link was checked above with its own provider; Identity's reset (password rules, new security stamp) takes its own token.
        return await SetPasswordAsync(user, AuditActions.PasswordReset, "chose a new password with a reset link; every session was signed out", acting: null, async () =>
        {
            var result = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
            if (!result.Succeeded) return result;
            await users.SetLockoutEndDateAsync(user, null);
            return await users.ResetAccessFailedCountAsync(user);
        });
    }

    public const string WrongCurrentPassword = "Your current password is not right.";
    public const string LockedOut = "Too many wrong passwords: try again later.";

    /// <summary>
    /// The signed-in user changes their password (account page): audited, they are told by mail, and their other sign-ins
    /// and access tokens end. A wrong current password counts towards lockout like a wrong sign-in, so a session left
    /// open cannot be used to guess the password.
    /// </summary>
    public async Task<IdentityResult> ChangeAsync(Viewer viewer, string currentPassword, string newPassword)
    {
        if (viewer.ReadOnly) throw new AccessDeniedException();
        var user = await users.FindByIdAsync(viewer.UserId) ?? throw new AccessDeniedException();
        if (await users.IsLockedOutAsync(user)) return Failed("LockedOut", LockedOut);
        if (!await users.CheckPasswordAsync(user, currentPassword))
        {
            await users.AccessFailedAsync(user);
            return Failed("PasswordMismatch", await users.IsLockedOutAsync(user) ? LockedOut : WrongCurrentPassword);
        }
        return await SetPasswordAsync(user, AuditActions.PasswordChanged, "changed their password; every other session was signed out", acting: viewer, async () =>
        {
            var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
            return result.Succeeded ? await users.ResetAccessFailedCountAsync(user) : result;
        });
    }

    private static IdentityResult Failed(string code, string description) => IdentityResult.Failed(new IdentityError { Code = code, Description = description });

    /// <summary>
    /// Runs a password change in a transaction with its audit entry and the security notice, which cannot be turned off;
    /// the user's access tokens are revoked and every instance ends their open circuits (a pre-hijacker's too), but for the
    /// browser sign-in of the <paramref name="acting"/> user when they changed it themselves.
    /// </summary>
    private async Task<IdentityResult> SetPasswordAsync(ControlPanelUser user, string action, string what, Viewer? acting, Func<Task<IdentityResult>> change)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await change();
        if (!result.Succeeded) return result;
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        var revoked = await SignInEndings.RevokeTokensAsync(db, user.Id, now);
        AuditLog.Record(db, new Viewer(user.Id, user.DisplayName, role, user.AccountId), now, action, user.AccountId, null,
            $"{user.Email} {what}" + (revoked > 0 ? $"; {revoked} access token(s) revoked" : ""));
        MailOutbox.Add(db, MailKinds.PasswordChanged, user.Email!, MailTemplates.PasswordChanged(user.DisplayName, now), now, user.Id);
        if (acting is not null) await SignInEndings.SaveOwnChangeAsync(changes, db, user, acting.SignInId, now);
        else await SignInEndings.SaveAsync(changes, db, user.Id);
        return result;
    }

    private async Task<ControlPanelUser?> UserOfAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token)) return null;
        var user = await users.FindByIdAsync(userId);
        if (user is null) return null;
        return await users.VerifyUserTokenAsync(user, PasswordResetOptions.ProviderName, Purpose, token) ? user : null;
    }

    private async Task<Uri> LinkAsync(ControlPanelUser user)
    {
        var token = await users.GenerateUserTokenAsync(user, PasswordResetOptions.ProviderName, Purpose);
        return PublicLinks.PasswordReset(email.Value, user.Id, token);
    }
}
