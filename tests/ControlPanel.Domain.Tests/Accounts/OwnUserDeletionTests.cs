using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// A person deletes their own sign-in (issue 23): personal data goes and the audit log keeps the id; never the last Admin,
/// and never an account's only Owner (they delete the account instead).
/// </summary>
public sealed class OwnUserDeletionTests : AccountTest
{
    private async Task DeleteAsync(Viewer viewer, string password = IdentityTestServices.Password)
    {
        await using var scope = Identity.CreateScope();
        await scope.Get<OwnUserDeletion>().DeleteAsync(viewer, password);
    }

    private async Task<bool> ExistsAsync(string userId)
    {
        await using var db = Database.CreateContext();
        return await db.Users.AnyAsync(u => u.Id == userId);
    }

    [Fact]
    public async Task An_owner_with_a_co_owner_deletes_their_personal_data_and_the_audit_log_keeps_their_id()
    {
        var registered = await Identity.RegisterOwnerAsync();
        var owner = new Viewer(registered.Id, registered.DisplayName, Roles.Owner, registered.AccountId);
        await UserAsync(Roles.Owner, registered.AccountId);
        await using (var scope = Identity.CreateScope())
            await scope.Get<AccessTokenService>().CreateAsync(owner, new AccessTokenService.Form { Name = "deploy", Scope = AccessTokenScope.ReadWrite });
        await using (var scope = Identity.CreateScope())
            await scope.Get<PasswordRecovery>().RequestAsync(registered.Email!);

        await DeleteAsync(owner);

        Assert.False(await ExistsAsync(owner.UserId));
        await using var db = Database.CreateContext();
        Assert.False(await db.AccessTokens.AnyAsync(t => t.UserId == owner.UserId));
        Assert.False(await db.OutboxMails.AnyAsync(m => m.UserId == owner.UserId || m.To == registered.Email));
        var entries = await db.AuditEntries.Where(e => e.ActorUserId == owner.UserId).ToListAsync();
        Assert.Contains(entries, e => e.Action == AuditActions.AccessTokenCreated);
        Assert.Contains(entries, e => e.Action == AuditActions.UserDeletedThemselves && e.Changes.Contains(owner.UserId));
        Assert.All(entries, e => Assert.Equal(OwnUserDeletion.DeletedName, e.ActorName));
    }

    [Fact]
    public async Task An_accounts_only_owner_is_told_to_delete_the_account_instead_and_a_wrong_password_counts_towards_lockout()
    {
        var registered = await Identity.RegisterOwnerAsync();
        var owner = new Viewer(registered.Id, registered.DisplayName, Roles.Owner, registered.AccountId);

        Assert.Equal(OwnUserDeletion.OnlyOwner, (await Assert.ThrowsAsync<ValidationException>(() => DeleteAsync(owner))).Message);
        await Assert.ThrowsAsync<ValidationException>(() => DeleteAsync(owner, "Wrong-password-9"));

        Assert.True(await ExistsAsync(owner.UserId));
        await using var db = Database.CreateContext();
        Assert.Equal(1, (await db.Users.SingleAsync(u => u.Id == owner.UserId)).AccessFailedCount);
    }

    [Fact]
    public async Task The_last_admin_cannot_delete_themselves_and_another_admin_can()
    {
        var first = await UserAsync(Roles.Admin);
        Assert.Equal(StaffAdministration.LastAdmin, (await Assert.ThrowsAsync<ValidationException>(() => DeleteAsync(first))).Message);
        Assert.True(await ExistsAsync(first.UserId));

        var second = await UserAsync(Roles.Admin);
        await DeleteAsync(second);
        Assert.False(await ExistsAsync(second.UserId));
        Assert.True(await ExistsAsync(first.UserId));
    }
}
