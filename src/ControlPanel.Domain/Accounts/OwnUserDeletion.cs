using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// A person deletes their own sign-in: their password proves it, and then their personal data goes (the user with their
/// tokens, sign-ins and known networks, the mails addressed to them, their name in the audit log), while the audit log keeps
/// their id. Refused for the last Admin, and for a customer who is the only Owner of their account (they delete the
/// account instead). Their open tabs end on every instance.
/// </summary>
public sealed class OwnUserDeletion(ControlPanelDbContext db, UserManager<ControlPanelUser> users, ChangeFeed changes, TimeProvider clock)
{
    public const string OnlyOwner = "You are the only owner of this account: delete the account instead, or make someone else an owner first.";

    /// <summary>What the audit log shows in place of a deleted user's name.</summary>
    public const string DeletedName = "(deleted user)";

    public async Task DeleteAsync(Viewer viewer, string password)
    {
        if (viewer.ReadOnly) throw new AccessDeniedException();
        var user = await users.FindByIdAsync(viewer.UserId) ?? throw new AccessDeniedException();
        if (await users.IsLockedOutAsync(user)) throw new ValidationException(PasswordRecovery.LockedOut);
        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            throw new ValidationException(await users.IsLockedOutAsync(user) ? PasswordRecovery.LockedOut : "That is not your password.");
        }
        var roles = await users.GetRolesAsync(user);
        if (roles.Contains(Roles.Admin)) await StaffAdministration.EnsureAnotherAdminAsync(users, user);
        if (roles.Contains(Roles.Owner) && user.AccountId is { } accountId
            && !(await users.GetUsersInRoleAsync(Roles.Owner)).Any(o => o.Id != user.Id && o.AccountId == accountId))
            throw new ValidationException(OnlyOwner);

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.OutboxMails.Where(m => m.UserId == user.Id).ExecuteDeleteAsync();
        await db.AuditEntries.Where(e => e.ActorUserId == user.Id).ExecuteUpdateAsync(e => e.SetProperty(x => x.ActorName, DeletedName));
        (await users.DeleteAsync(user)).ThrowIfFailed();
        AuditLog.Record(db, viewer with { Name = DeletedName }, now, AuditActions.UserDeletedThemselves, user.AccountId, null,
            $"User {user.Id} deleted their own sign-in and personal data");
        await SignInEndings.SaveAsync(changes, db, user.Id);
    }
}
