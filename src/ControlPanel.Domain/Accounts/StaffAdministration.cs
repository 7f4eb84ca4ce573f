using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Offboarding: an Admin changes a staff member's role, disables or removes them (never the last Admin, never
/// themselves), and sees and ends any user's access tokens and sign-ins. Every change is audited, and whatever takes
/// power away ends the user's sign-ins everywhere (<see cref="SignInEndings"/>).
/// </summary>
public sealed class StaffAdministration(ControlPanelDbContext db, UserManager<ControlPanelUser> users, ChangeFeed changes, TimeProvider clock)
{
    /// <summary>A disabled user is locked out for good; a lockout that ends is a sign-in lockout, not this.</summary>
    public static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    public const string LastAdmin = "The control panel needs at least one Admin who can sign in: make another Admin first.";
    public const string NotYourself = "You cannot do this to your own sign-in: ask another Admin.";

    public sealed record Member(string UserId, string Email, string DisplayName, string Role, bool IsDisabled, bool HasAcceptedInvitation, int LiveTokens);

    public sealed record TokenRow(Guid Id, string Name, AccessTokenScope Scope, string Hint, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, AccessTokenState State);

    public static bool IsDisabled(ControlPanelUser user) => user.LockoutEnd == DisabledUntil;

    /// <summary>Every Admin and Support user with whether they are disabled and how many live tokens they hold.</summary>
    public async Task<IReadOnlyList<Member>> ListAsync(Viewer viewer)
    {
        if (!viewer.IsAdmin) throw new AccessDeniedException();
        db.ChangeTracker.Clear();
        var now = Now;
        var members = new List<Member>();
        foreach (var role in Roles.Staff)
            foreach (var user in await users.GetUsersInRoleAsync(role))
            {
                var live = await db.AccessTokens.CountAsync(t => t.UserId == user.Id && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now));
                members.Add(new Member(user.Id, user.Email ?? "", user.DisplayName, role, IsDisabled(user), user.PasswordHash is not null, live));
            }
        return members.OrderBy(m => m.Email, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>
    /// Makes a staff member Admin or Support, and mails them so. The change ends their sign-ins and tokens; the last Admin
    /// keeps the role.
    /// </summary>
    public async Task ChangeRoleAsync(Viewer viewer, string userId, string role)
    {
        var (user, current) = await StaffAsync(viewer, userId);
        if (!Roles.Staff.Contains(role)) throw new ValidationException("Staff are Admin or Support.");
        if (role == current) return;
        if (current == Roles.Admin) await EnsureAnotherAdminAsync(users, user);

        await using var transaction = await db.Database.BeginTransactionAsync();
        (await users.RemoveFromRoleAsync(user, current)).ThrowIfFailed();
        (await users.AddToRoleAsync(user, role)).ThrowIfFailed();
        // The person hears of it, in the change's own transaction: a security notice, which cannot be turned off.
        MailOutbox.Add(db, MailKinds.StaffRoleChanged, user.Email!, MailTemplates.StaffRoleChanged(user.DisplayName, role, Now), Now, user.Id);
        await EndEverywhereAsync(viewer, user, AuditActions.StaffRoleChanged, $"{user.Email}: {current} → {role}");
    }

    /// <summary>Stops the user signing in and ends every sign-in and token they have, on every instance.</summary>
    public async Task DisableAsync(Viewer viewer, string userId)
    {
        var (user, current) = await StaffAsync(viewer, userId);
        if (user.Id == viewer.UserId) throw new ValidationException(NotYourself);
        if (IsDisabled(user)) throw new ValidationException($"{user.Email} is already disabled.");
        if (current == Roles.Admin) await EnsureAnotherAdminAsync(users, user);

        await using var transaction = await db.Database.BeginTransactionAsync();
        (await users.SetLockoutEnabledAsync(user, true)).ThrowIfFailed();
        (await users.SetLockoutEndDateAsync(user, DisabledUntil)).ThrowIfFailed();
        await EndEverywhereAsync(viewer, user, AuditActions.UserDisabled, $"Disabled {user.Email} ({current})");
    }

    /// <summary>Lets a disabled staff member sign in again; their revoked tokens stay revoked.</summary>
    public async Task EnableAsync(Viewer viewer, string userId)
    {
        var (user, current) = await StaffAsync(viewer, userId);
        if (!IsDisabled(user)) throw new ValidationException($"{user.Email} is not disabled.");
        await using var transaction = await db.Database.BeginTransactionAsync();
        (await users.SetLockoutEndDateAsync(user, null)).ThrowIfFailed();
        (await users.ResetAccessFailedCountAsync(user)).ThrowIfFailed();
        AuditLog.Record(db, viewer, Now, AuditActions.UserEnabled, null, null, $"Enabled {user.Email} ({current}) again");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Deletes a staff member (their tokens go with them); their open circuits end on every instance.</summary>
    public async Task RemoveAsync(Viewer viewer, string userId)
    {
        var (user, current) = await StaffAsync(viewer, userId);
        if (user.Id == viewer.UserId) throw new ValidationException(NotYourself);
        if (current == Roles.Admin) await EnsureAnotherAdminAsync(users, user);

        await using var transaction = await db.Database.BeginTransactionAsync();
        (await users.DeleteAsync(user)).ThrowIfFailed();
        AuditLog.Record(db, viewer, Now, AuditActions.StaffRemoved, null, null, $"Removed {user.Email} ({current})");
        await SignInEndings.SaveAsync(changes, db, user.Id);
    }

    /// <summary>Any user's access tokens (owners' too), newest first, for an Admin deciding what to end.</summary>
    public async Task<IReadOnlyList<TokenRow>> TokensAsync(Viewer viewer, string userId)
    {
        var user = await AnyUserAsync(viewer, userId);
        var now = Now;
        var tokens = await db.AccessTokens.AsNoTracking().Where(t => t.UserId == user.Id).ToListAsync();
        return tokens.OrderBy(t => t.State(now)).ThenByDescending(t => t.CreatedAt)
            .Select(t => new TokenRow(t.Id, t.Name, t.Scope, AccessTokenFormat.Hint(t.Last4), t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.State(now)))
            .ToList();
    }

    /// <summary>Ends one of any user's tokens at once.</summary>
    public async Task RevokeTokenAsync(Viewer viewer, string userId, Guid tokenId)
    {
        var user = await AnyUserAsync(viewer, userId);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == user.Id) ?? throw new AccessDeniedException();
        if (token.RevokedAt is not null) throw new ValidationException("This token has already been revoked.");
        var now = Now;
        token.RevokedAt = now;
        AuditLog.Record(db, viewer, now, AuditActions.AccessTokenRevoked, user.AccountId, null,
            $"Revoked {user.Email}'s access token \"{token.Name}\" ({AccessTokenFormat.Hint(token.Last4)})");
        await db.SaveChangesAsync();
    }

    /// <summary>Signs any user out of every browser and revokes every token they hold; they may sign in again.</summary>
    public async Task EndSignInsAsync(Viewer viewer, string userId)
    {
        var user = await AnyUserAsync(viewer, userId);
        if (user.Id == viewer.UserId) throw new ValidationException(NotYourself);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await EndEverywhereAsync(viewer, user, AuditActions.SignInsEnded, $"Signed {user.Email} out");
    }

    /// <summary>
    /// In the caller's transaction: a new security stamp (the cookies end), the user's tokens revoked, the audit entry saying
    /// how many, then the save with the change that tells every instance's circuits.
    /// </summary>
    private async Task EndEverywhereAsync(Viewer viewer, ControlPanelUser user, string action, string what)
    {
        (await users.UpdateSecurityStampAsync(user)).ThrowIfFailed();
        var now = Now;
        var revoked = await SignInEndings.RevokeTokensAsync(db, user.Id, now);
        AuditLog.Record(db, viewer, now, action, user.AccountId, null, $"{what}; signed out everywhere, {revoked} access token(s) revoked");
        await SignInEndings.SaveAsync(changes, db, user.Id);
    }

    private async Task<(ControlPanelUser User, string Role)> StaffAsync(Viewer viewer, string userId)
    {
        var user = await AnyUserAsync(viewer, userId);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault(Roles.Staff.Contains) ?? throw new AccessDeniedException();
        return (user, role);
    }

    private async Task<ControlPanelUser> AnyUserAsync(Viewer viewer, string userId)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        // The page keeps this service for a whole circuit: read the user as they are now.
        db.ChangeTracker.Clear();
        return await users.FindByIdAsync(userId) ?? throw new AccessDeniedException();
    }

    /// <summary>Refuses a change that would leave no Admin able to sign in.</summary>
    /// <summary>Refuses to take away the last Admin who can sign in.</summary>
    internal static async Task EnsureAnotherAdminAsync(UserManager<ControlPanelUser> users, ControlPanelUser leaving)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        if (!admins.Any(a => a.Id != leaving.Id && a.PasswordHash is not null && !IsDisabled(a)))
            throw new ValidationException(LastAdmin);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
