using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Admins invite platform staff. An invitation is a user without a password plus a one-time token
/// (Identity's password-reset token) that the invitee redeems to choose a password. The token lasts
/// <see cref="DataProtectionTokenProviderOptions.TokenLifespan"/> (configured by the host); a new link
/// changes the user's security stamp, which ends every earlier link.
/// </summary>
public sealed class StaffInvitations(
    ControlPanelDbContext db, UserManager<ControlPanelUser> users, IOptions<DataProtectionTokenProviderOptions> tokens, IOptions<EmailOptions> email,
    TimeProvider clock)
{
    public sealed class Form
    {
        [Required(ErrorMessage = "Enter their email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter their name.")]
        [StringLength(ControlPanelUser.DisplayNameMaxLength, ErrorMessage = "Use at most {1} characters.")]
        public string DisplayName { get; set; } = "";

        [Required(ErrorMessage = "Choose a role.")]
        public string Role { get; set; } = Roles.Support;
    }

    /// <summary>A link's parts: shown to the Admin once, when issued.</summary>
    public sealed record Invitation(string UserId, string Email, string Token, DateTime ExpiresAt);

    /// <summary>An invitation nobody has accepted yet; its link may have expired.</summary>
    public sealed record PendingInvitation(string UserId, string Email, string DisplayName, string Role, DateTime SentAt, DateTime ExpiresAt, bool IsExpired);

    public enum LinkState { Valid, Used, Expired, Replaced, NotValid }

    /// <summary>What an invitation link is worth, checked when its page opens, before anyone types a password.</summary>
    public sealed record LinkCheck(LinkState State, string? Email = null, string? DisplayName = null, string? Role = null);

    /// <summary>How long a link works.</summary>
    public TimeSpan LinkLifetime => tokens.Value.TokenLifespan;

    /// <summary>Invitations not accepted yet, newest first, with when their links expire.</summary>
    public async Task<IReadOnlyList<PendingInvitation>> PendingAsync(Viewer viewer)
    {
        if (!viewer.IsAdmin) throw new AccessDeniedException();
        ReadAfresh();
        var now = clock.GetUtcNow().UtcDateTime;
        return (await StaffAsync())
            .Where(s => s.User.PasswordHash is null)
            .Select(s =>
            {
                var sentAt = DateTime.SpecifyKind(s.User.InvitationSentAt ?? s.User.CreatedAt, DateTimeKind.Utc);
                var expiresAt = sentAt + LinkLifetime;
                return new PendingInvitation(s.User.Id, s.User.Email ?? "", s.User.DisplayName, s.Role, sentAt, expiresAt, expiresAt <= now);
            })
            .OrderByDescending(p => p.SentAt)
            .ToList();
    }

    public async Task<(IdentityResult Result, Invitation? Invitation)> InviteAsync(Viewer viewer, Form form)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        ReadAfresh();
        if (!Roles.Staff.Contains(form.Role))
            return (IdentityResult.Failed(new IdentityError { Code = "Role", Description = "Staff are Admin or Support." }), null);

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = new ControlPanelUser
        {
            UserName = form.Email.Trim(),
            Email = form.Email.Trim(),
            EmailConfirmed = true,
            DisplayName = form.DisplayName.Trim(),
            CreatedAt = now,
            InvitationSentAt = now,
        };
        var result = await users.CreateAsync(user);
        if (result.Succeeded) result = await users.AddToRoleAsync(user, form.Role);
        if (!result.Succeeded) return (result, null);

        AuditLog.Record(db, viewer, now, AuditActions.StaffInvited, null, null, $"Invited {user.Email} as {form.Role}");
        await db.SaveChangesAsync();
        var invitation = new Invitation(user.Id, form.Email.Trim(), await users.GeneratePasswordResetTokenAsync(user), now + LinkLifetime);
        await MailAsync(user, form.Role, invitation, now);
        await transaction.CommitAsync();
        return (result, invitation);
    }

    /// <summary>Issues a new link for a pending invitation; every earlier link stops working.</summary>
    public async Task<Invitation> ResendAsync(Viewer viewer, string userId)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        ReadAfresh();
        var user = await PendingUserAsync(userId);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        user.InvitationSentAt = now;
        // A new security stamp invalidates the tokens made from the old one.
        (await users.UpdateSecurityStampAsync(user)).ThrowIfFailed();
        AuditLog.Record(db, viewer, now, AuditActions.StaffInvitationResent, null, null, $"Sent a new invitation link to {user.Email}; the previous link no longer works");
        await db.SaveChangesAsync();
        var invitation = new Invitation(user.Id, user.Email ?? "", await users.GeneratePasswordResetTokenAsync(user), now + LinkLifetime);
        await MailAsync(user, (await users.GetRolesAsync(user)).FirstOrDefault(Roles.Staff.Contains) ?? "", invitation, now);
        await transaction.CommitAsync();
        return invitation;
    }

    /// <summary>Withdraws a pending invitation: the invited user is deleted, so the link finds nobody and the email can be invited again.</summary>
    public async Task RevokeAsync(Viewer viewer, string userId)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        ReadAfresh();
        var user = await PendingUserAsync(userId);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        await using var transaction = await db.Database.BeginTransactionAsync();
        (await users.DeleteAsync(user)).ThrowIfFailed();
        AuditLog.Record(db, viewer, clock.GetUtcNow().UtcDateTime, AuditActions.StaffInvitationRevoked, null, null, $"Revoked the invitation of {user.Email} as {role}");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Whether a link can still be used, and for whom; nothing changes.</summary>
    public async Task<LinkCheck> CheckAsync(string? userId, string? token)
    {
        ReadAfresh();
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token)) return new LinkCheck(LinkState.NotValid);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return new LinkCheck(LinkState.NotValid);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault(Roles.Staff.Contains);
        if (role is null) return new LinkCheck(LinkState.NotValid);
        if (await users.HasPasswordAsync(user)) return new LinkCheck(LinkState.Used, user.Email);
        if (await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<ControlPanelUser>.ResetPasswordTokenPurpose, token))
            return new LinkCheck(LinkState.Valid, user.Email, user.DisplayName, role);
        // A bad token for a pending invitation: the newest link has expired too, or a newer one replaced this one.
        var sentAt = DateTime.SpecifyKind(user.InvitationSentAt ?? user.CreatedAt, DateTimeKind.Utc);
        return new LinkCheck(sentAt + LinkLifetime <= clock.GetUtcNow().UtcDateTime ? LinkState.Expired : LinkState.Replaced, user.Email);
    }

    /// <summary>The invitee sets a password; the token works once because setting it changes the security stamp.</summary>
    public async Task<IdentityResult> AcceptAsync(string userId, string token, string password)
    {
        ReadAfresh();
        var user = await users.FindByIdAsync(userId);
        if (user is null || await users.HasPasswordAsync(user) || (await users.GetRolesAsync(user)).FirstOrDefault(Roles.Staff.Contains) is not { } role)
            return IdentityResult.Failed(new IdentityError { Code = "Invitation", Description = "This invitation is not valid or was already used." });
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded) return result;
        var invitee = new Viewer(user.Id, user.DisplayName, role, null);
        AuditLog.Record(db, invitee, clock.GetUtcNow().UtcDateTime, AuditActions.StaffInvitationAccepted, null, null, $"{user.Email} accepted the invitation as {role}");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return result;
    }

    /// <summary>The invitation by mail, saved in the invitation's transaction (the Admin is shown the link as well).</summary>
    private async Task MailAsync(ControlPanelUser user, string role, Invitation invitation, DateTime now)
    {
        var link = PublicLinks.Invitation(email.Value.LinkBase(), invitation.UserId, invitation.Token);
        MailOutbox.Add(db, MailKinds.StaffInvitation, invitation.Email, MailTemplates.StaffInvitation(user.DisplayName, role, link, invitation.ExpiresAt), now, user.Id);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The staff page keeps this service (and its DbContext) for a whole circuit: forget what was read before,
    /// so an invitation accepted or revoked elsewhere shows as it is now.
    /// </summary>
    private void ReadAfresh() => db.ChangeTracker.Clear();

    private async Task<List<(string Role, ControlPanelUser User)>> StaffAsync()
    {
        var staff = new List<(string, ControlPanelUser)>();
        foreach (var role in Roles.Staff)
            foreach (var user in await users.GetUsersInRoleAsync(role))
                staff.Add((role, user));
        return staff;
    }

    private async Task<ControlPanelUser> PendingUserAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || !(await users.GetRolesAsync(user)).Any(Roles.Staff.Contains))
            throw new ValidationException("This invitation no longer exists.");
        if (await users.HasPasswordAsync(user))
            throw new ValidationException($"{user.Email} has already accepted the invitation.");
        return user;
    }
}
