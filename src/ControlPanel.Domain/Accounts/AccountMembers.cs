using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// The people of each account and their roles: which accounts a person belongs to, the <see cref="Viewer"/> they are in the
/// account they act in, and the Owner's (or an Admin's) changes to roles and members. An account always keeps an Owner.
/// </summary>
public sealed class AccountMembers(IDbContextFactory<ControlPanelDbContext> databases, ChangeFeed changes, TimeProvider clock)
{
    public const string LastOwner = "An account keeps at least one Owner: make someone else Owner first.";

    /// <summary>One of a person's accounts, with their role there.</summary>
    public sealed record Membership(Guid AccountId, string AccountName, string Role);

    /// <summary>One member of an account, as its Owners and staff see them.</summary>
    public sealed record Member(string UserId, string DisplayName, string Email, string Role, DateTime JoinedAt);

    /// <summary>The person's accounts, in the order they joined them (the first is where they land after signing in).</summary>
    public async Task<IReadOnlyList<Membership>> OfAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // A deleted account is no longer theirs, though staff may still restore it.
        return await db.AccountMembers.AsNoTracking().Where(m => m.UserId == userId && m.Account!.DeletionRequestedAt == null)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.AccountId)
            .Select(m => new Membership(m.AccountId, m.Account!.Name, m.Role))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The signed-in person as they act in <paramref name="accountId"/> (or, with none, in the first account they joined):
    /// their role there. Staff are returned as they are (they act in no account). Someone who is not a member of the account
    /// asked for is returned with no role and no account, so every service refuses them; the role is read afresh on every
    /// call, so a member removed or given another role is so at their next action.
    /// </summary>
    public async Task<Viewer> ActingAsync(Viewer person, Guid? accountId, CancellationToken cancellationToken = default)
    {
        if (person.IsStaff) return person;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // Members of a deleted account act in it no more: no role there, so every service refuses them.
        var mine = db.AccountMembers.AsNoTracking().Where(m => m.UserId == person.UserId && m.Account!.DeletionRequestedAt == null);
        var membership = accountId is { } chosen
            ? await mine.SingleOrDefaultAsync(m => m.AccountId == chosen, cancellationToken)
            : await mine.OrderBy(m => m.CreatedAt).ThenBy(m => m.AccountId).FirstOrDefaultAsync(cancellationToken);
        return membership is null
            ? person with { Role = "", AccountId = null }
            : person with { Role = membership.Role, AccountId = membership.AccountId };
    }

    /// <summary>The account's members, for its Owners and for staff; anyone else is refused as if the account did not exist.</summary>
    public async Task<IReadOnlyList<Member>> ListAsync(Viewer viewer, Guid accountId)
    {
        if (!viewer.CanManageMembers(accountId) && !viewer.IsStaff) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var members = await db.AccountMembers.AsNoTracking().Where(m => m.AccountId == accountId)
            .Select(m => new Member(m.UserId, m.User!.DisplayName, m.User.Email ?? "", m.Role, m.CreatedAt))
            .ToListAsync();
        // Owners first, then Developers, then Viewers; by name within a role.
        return [.. members.OrderBy(m => IndexOf(m.Role)).ThenBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Email)];
    }

    /// <summary>Gives a member another role. Audited; refused when it would leave the account without an Owner.</summary>
    public async Task ChangeRoleAsync(Viewer viewer, Guid accountId, string userId, string role)
    {
        if (!viewer.CanManageMembers(accountId)) throw new AccessDeniedException();
        if (!Roles.Members.Contains(role)) throw new ValidationException("Choose Owner, Developer or Viewer.");
        await using var db = await databases.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await TakeTurnAsync(db, accountId);
        var member = await MemberAsync(db, accountId, userId);
        if (member.Role == role) return;
        if (member.Role == Roles.Owner) await EnsureAnotherOwnerAsync(db, member);
        var was = member.Role;
        member.Role = role;
        AuditLog.Record(db, viewer, Now, AuditActions.MemberRoleChanged, accountId, null, $"{Describe(member)}: {was} → {role}");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Takes a person out of the account: their place and the access tokens they made in it end at once (tokens are read
    /// from the database on every call), and the change feed tells every instance, whose open tabs of theirs re-check.
    /// Audited; refused for the last Owner.
    /// </summary>
    public async Task RemoveAsync(Viewer viewer, Guid accountId, string userId)
    {
        if (!viewer.CanManageMembers(accountId)) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await TakeTurnAsync(db, accountId);
        var member = await MemberAsync(db, accountId, userId);
        if (member.Role == Roles.Owner) await EnsureAnotherOwnerAsync(db, member);
        var now = Now;
        var tokens = await db.AccessTokens.Where(t => t.UserId == userId && t.AccountId == accountId && t.RevokedAt == null).ToListAsync();
        foreach (var token in tokens) token.RevokedAt = now;
        db.AccountMembers.Remove(member);
        AuditLog.Record(db, viewer, now, AuditActions.MemberRemoved, accountId, null,
            $"Removed {Describe(member)} ({member.Role}); {tokens.Count} access token(s) revoked");
        await SignInEndings.SaveAsync(changes, db, userId);
    }

    private static async Task<AccountMember> MemberAsync(ControlPanelDbContext db, Guid accountId, string userId) =>
        await db.AccountMembers.Include(m => m.User).SingleOrDefaultAsync(m => m.AccountId == accountId && m.UserId == userId)
        ?? throw new AccessDeniedException();

    /// <summary>
    /// Writes the account's row first, so changes to one account's members take turns: two Owners demoting or removing each
    /// other at once would otherwise both see the other still Owner and leave none. PostgreSQL holds the row's lock until the
    /// commit (and the second reads the first's commit); SQLite holds its one write lock.
    /// </summary>
    private static Task TakeTurnAsync(ControlPanelDbContext db, Guid accountId) =>
        db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Name, a => a.Name));

    private static async Task EnsureAnotherOwnerAsync(ControlPanelDbContext db, AccountMember leaving)
    {
        if (!await db.AccountMembers.AnyAsync(m => m.AccountId == leaving.AccountId && m.UserId != leaving.UserId && m.Role == Roles.Owner))
            throw new ValidationException(LastOwner);
    }

    private static string Describe(AccountMember member) => member.User?.Email ?? member.UserId;

    private static int IndexOf(string role) => role switch { Roles.Owner => 0, Roles.Developer => 1, _ => 2 };

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
