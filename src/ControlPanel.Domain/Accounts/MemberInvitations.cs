using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Owners invite people into their account by email (Admins into any, and the first Owner of a new account). The link is
/// mailed through the outbox in the invitation's transaction and shown to the inviter once; it works once, until it
/// expires (<see cref="AccountSecurityOptions.InvitationLinkHours"/>); sending it again replaces it, revoking ends it.
/// Someone new accepts by choosing their name and password; someone with a sign-in accepts signed in as the invited address.
/// </summary>
public sealed class MemberInvitations(
    ControlPanelDbContext db, UserManager<ControlPanelUser> users, IOptions<EmailOptions> email, IOptions<AccountSecurityOptions> security,
    TimeProvider clock)
{
    public const string NotValid = "This invitation is not valid: it was used, revoked or replaced by a newer one.";
    public const string Expired = "This invitation has expired: ask the account's Owner to send it again.";

    public sealed class Form
    {
        [Required(ErrorMessage = "Enter their email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(MemberInvitation.EmailMaxLength, ErrorMessage = "Use at most {1} characters.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a role.")]
        public string Role { get; set; } = Roles.Developer;
    }

    /// <summary>An Admin's invitation of the first Owner of an account made for them.</summary>
    public sealed class NewAccountForm
    {
        [Required(ErrorMessage = "Enter the organisation's name.")]
        [StringLength(Account.NameMaxLength, MinimumLength = 2, ErrorMessage = "Use 2 to {1} characters.")]
        public string AccountName { get; set; } = "";

        [Required(ErrorMessage = "Enter the Owner's email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(MemberInvitation.EmailMaxLength, ErrorMessage = "Use at most {1} characters.")]
        public string Email { get; set; } = "";
    }

    /// <summary>A link just issued: shown to the inviter this once (it is mailed too).</summary>
    public sealed record Issued(Guid Id, Guid AccountId, string Email, string Role, Uri Link, DateTime ExpiresAt)
    {
        // Keeps the link out of logs that print the record.
        public override string ToString() => $"Issued {{ Id = {Id}, Email = {Email}, Role = {Role} }}";
    }

    public sealed record Pending(Guid Id, string Email, string Role, string InvitedBy, DateTime SentAt, DateTime ExpiresAt, bool IsExpired);

    public enum LinkState { Valid, Expired, NotValid }

    /// <summary>What a link is worth, checked when its page opens; <paramref name="HasSignIn"/> says the address already signs in.</summary>
    public sealed record LinkCheck(LinkState State, string? AccountName = null, string? Role = null, string? Email = null, bool HasSignIn = false);

    public TimeSpan LinkLifetime => TimeSpan.FromHours(security.Value.InvitationLinkHours);

    /// <summary>The account's invitations not accepted or revoked yet, newest first, for those who manage its members.</summary>
    public async Task<IReadOnlyList<Pending>> PendingAsync(Viewer viewer, Guid accountId)
    {
        if (!viewer.CanManageMembers(accountId) && !viewer.IsStaff) throw new AccessDeniedException();
        db.ChangeTracker.Clear();
        var now = Now;
        var rows = await db.MemberInvitations.AsNoTracking()
            .Where(i => i.AccountId == accountId && i.AcceptedAt == null && i.RevokedAt == null).ToListAsync();
        return [.. rows.OrderByDescending(i => i.SentAt).Select(i => new Pending(i.Id, i.Email, i.Role, i.InvitedBy, i.SentAt, i.ExpiresAt, i.ExpiresAt <= now))];
    }

    /// <summary>Invites a person into the account with a role; refused for a member already there or an address already invited.</summary>
    public async Task<Issued> InviteAsync(Viewer viewer, Guid accountId, Form form)
    {
        if (!viewer.CanManageMembers(accountId)) throw new AccessDeniedException();
        FormValidation.ThrowIfInvalid(form);
        if (!Roles.Members.Contains(form.Role))
            throw new ValidationException(new ValidationResult("Choose Owner, Developer or Viewer.", [nameof(Form.Role)]), null, form);
        db.ChangeTracker.Clear();
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId) ?? throw new AccessDeniedException();
        var address = form.Email.Trim();
        var normalized = users.NormalizeEmail(address);
        if (await db.AccountMembers.AnyAsync(m => m.AccountId == accountId && m.User!.NormalizedEmail == normalized))
            throw new ValidationException(new ValidationResult($"{address} is already a member of this account.", [nameof(Form.Email)]), null, form);
        var pending = await db.MemberInvitations.Where(i => i.AccountId == accountId && i.AcceptedAt == null && i.RevokedAt == null)
            .Select(i => i.Email).ToListAsync();
        if (pending.Any(e => users.NormalizeEmail(e) == normalized))
            throw new ValidationException(new ValidationResult($"{address} is already invited: send the link again from the list.", [nameof(Form.Email)]), null, form);

        await using var transaction = await db.Database.BeginTransactionAsync();
        var issued = await IssueAsync(viewer, account, address, form.Role);
        await transaction.CommitAsync();
        return issued;
    }

    /// <summary>An Admin makes an account for a new customer and invites its first Owner.</summary>
    public async Task<Issued> InviteFirstOwnerAsync(Viewer viewer, NewAccountForm form)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        FormValidation.ThrowIfInvalid(form);
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var account = new Account { Name = form.AccountName.Trim(), CreatedAt = Now };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        var issued = await IssueAsync(viewer, account, form.Email.Trim(), Roles.Owner);
        await transaction.CommitAsync();
        return issued;
    }

    /// <summary>Sends a pending invitation again with a new link; the earlier link stops working.</summary>
    public async Task<Issued> ResendAsync(Viewer viewer, Guid accountId, Guid invitationId)
    {
        if (!viewer.CanManageMembers(accountId)) throw new AccessDeniedException();
        db.ChangeTracker.Clear();
        var invitation = await PendingAsync(accountId, invitationId);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var issued = await SendAsync(viewer, invitation.Account!, invitation, AuditActions.MemberInvitationResent,
            $"Sent a new invitation link to {invitation.Email} ({invitation.Role}); the previous link no longer works");
        await transaction.CommitAsync();
        return issued;
    }

    /// <summary>Withdraws a pending invitation: its link stops working.</summary>
    public async Task RevokeAsync(Viewer viewer, Guid accountId, Guid invitationId)
    {
        if (!viewer.CanManageMembers(accountId)) throw new AccessDeniedException();
        db.ChangeTracker.Clear();
        var invitation = await PendingAsync(accountId, invitationId);
        var now = Now;
        invitation.RevokedAt = now;
        AuditLog.Record(db, viewer, now, AuditActions.MemberInvitationRevoked, accountId, null, $"Revoked the invitation of {invitation.Email} as {invitation.Role}");
        await db.SaveChangesAsync();
    }

    /// <summary>Whether a link can be used, for which account and role; nothing changes.</summary>
    public async Task<LinkCheck> CheckAsync(string? token)
    {
        db.ChangeTracker.Clear();
        var invitation = await FindAsync(token);
        if (invitation is null || !invitation.IsPending) return new LinkCheck(LinkState.NotValid);
        var normalized = users.NormalizeEmail(invitation.Email);
        var hasSignIn = await db.Users.AnyAsync(u => u.NormalizedEmail == normalized);
        var state = invitation.ExpiresAt <= Now ? LinkState.Expired : LinkState.Valid;
        return new LinkCheck(state, invitation.Account!.Name, invitation.Role, invitation.Email, hasSignIn);
    }

    /// <summary>
    /// Someone new accepts: a person is made with the invited address (the link proved it theirs), the name and password
    /// they chose, and their place in the account. An address that already signs in accepts signed in instead.
    /// </summary>
    public async Task<(IdentityResult Result, ControlPanelUser? User)> AcceptAsNewAsync(string? token, string displayName, string password)
    {
        db.ChangeTracker.Clear();
        var invitation = await UsableAsync(token);
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = new ControlPanelUser
        {
            UserName = invitation.Email,
            Email = invitation.Email,
            EmailConfirmed = true,
            DisplayName = displayName.Trim(),
            CreatedAt = now,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) return (result, null);
        await JoinAsync(invitation, user, now);
        await transaction.CommitAsync();
        return (result, user);
    }

    /// <summary>A signed-in person accepts an invitation of their own address; returns the account they joined.</summary>
    public async Task<Guid> AcceptAsync(string? token, Viewer person)
    {
        if (person.IsStaff || person.ReadOnly) throw new AccessDeniedException();
        db.ChangeTracker.Clear();
        var invitation = await UsableAsync(token);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == person.UserId) ?? throw new AccessDeniedException();
        if (user.NormalizedEmail != users.NormalizeEmail(invitation.Email))
            throw new ValidationException($"This invitation is for {invitation.Email}: sign in with that address to accept it.");
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (await db.AccountMembers.AnyAsync(m => m.AccountId == invitation.AccountId && m.UserId == user.Id))
        {
            // Already a member (invited twice, say): the invitation is spent, the role they have stays.
            invitation.AcceptedAt = now;
            invitation.AcceptedByUserId = user.Id;
            await db.SaveChangesAsync();
        }
        else await JoinAsync(invitation, user, now);
        await transaction.CommitAsync();
        return invitation.AccountId;
    }

    private async Task JoinAsync(MemberInvitation invitation, ControlPanelUser user, DateTime now)
    {
        db.AccountMembers.Add(new AccountMember { AccountId = invitation.AccountId, UserId = user.Id, Role = invitation.Role, CreatedAt = now });
        invitation.AcceptedAt = now;
        invitation.AcceptedByUserId = user.Id;
        var joined = new Viewer(user.Id, user.DisplayName, invitation.Role, invitation.AccountId);
        AuditLog.Record(db, joined, now, AuditActions.MemberJoined, invitation.AccountId, null,
            $"{user.Email} accepted the invitation and joined as {invitation.Role}");
        await db.SaveChangesAsync();
    }

    private async Task<Issued> IssueAsync(Viewer viewer, Account account, string address, string role)
    {
        var invitation = new MemberInvitation
        {
            AccountId = account.Id,
            Email = address,
            Role = role,
            TokenHash = "",
            CreatedAt = Now,
            InvitedBy = viewer.Name,
        };
        db.MemberInvitations.Add(invitation);
        return await SendAsync(viewer, account, invitation, AuditActions.MemberInvited, $"Invited {address} as {role}");
    }

    /// <summary>A new link for the invitation, its mail and its audit entry, saved together.</summary>
    private async Task<Issued> SendAsync(Viewer viewer, Account account, MemberInvitation invitation, string action, string what)
    {
        var now = Now;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        invitation.TokenHash = AccessTokenFormat.Hash(token);
        invitation.SentAt = now;
        invitation.ExpiresAt = now + LinkLifetime;
        var link = PublicLinks.JoinAccount(email.Value.LinkBase(), token);
        MailOutbox.Add(db, MailKinds.MemberInvitation, invitation.Email,
            MailTemplates.MemberInvitation(account.Name, invitation.Role, viewer.Name, link, invitation.ExpiresAt), now);
        AuditLog.Record(db, viewer, now, action, account.Id, null, what);
        await db.SaveChangesAsync();
        return new Issued(invitation.Id, account.Id, invitation.Email, invitation.Role, link, invitation.ExpiresAt);
    }

    private async Task<MemberInvitation?> FindAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length != 64) return null;
        var hash = AccessTokenFormat.Hash(token);
        return await db.MemberInvitations.Include(i => i.Account).SingleOrDefaultAsync(i => i.TokenHash == hash);
    }

    private async Task<MemberInvitation> UsableAsync(string? token)
    {
        var invitation = await FindAsync(token);
        if (invitation is null || !invitation.IsPending) throw new ValidationException(NotValid);
        if (invitation.ExpiresAt <= Now) throw new ValidationException(Expired);
        return invitation;
    }

    private async Task<MemberInvitation> PendingAsync(Guid accountId, Guid invitationId) =>
        await db.MemberInvitations.Include(i => i.Account).SingleOrDefaultAsync(i => i.Id == invitationId && i.AccountId == accountId && i.AcceptedAt == null && i.RevokedAt == null)
        ?? throw new ValidationException("This invitation no longer exists: it was accepted or revoked.");

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
