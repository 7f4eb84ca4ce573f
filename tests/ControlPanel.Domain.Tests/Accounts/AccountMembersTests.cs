using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>Members and roles: the account a person acts in, the last Owner kept, and tokens that act with their creator's role.</summary>
public sealed class AccountMembersTests : IAsyncLifetime
{
    private IdentityTestServices identity = default!;
    private readonly FakeTimeProvider clock = new(TestClock.Start);

    public async Task InitializeAsync()
    {
        identity = await IdentityTestServices.CreateAsync(clock: clock);
        await identity.EnsureRolesAsync();
    }

    public async Task DisposeAsync() => await identity.DisposeAsync();

    private AccountMembers Members => new(identity.Factory, Get<ControlPanel.Domain.Data.ChangeFeed>(), clock);

    private AccessTokenService Tokens => new(identity.Factory, clock);

    private T Get<T>() where T : notnull
    {
        // Singletons only (the change feed): scoped services are made per test call above.
        using var scope = identity.CreateScope();
        return scope.Get<T>();
    }

    /// <summary>A customer who registered their own account, as the sign-up page does: its Owner.</summary>
    private async Task<(ControlPanelUser User, Guid AccountId)> RegisterAsync(string account)
    {
        await using var scope = identity.CreateScope();
        var (result, owner) = await scope.Get<Registration>().RegisterOwnerAsync(new Registration.Form
        {
            AccountName = account,
            DisplayName = $"Owner of {account}",
            Email = $"{Guid.NewGuid():N}@members.test",
            Password = IdentityTestServices.Password,
            ConfirmPassword = IdentityTestServices.Password,
        });
        Assert.True(result.Succeeded);
        return (owner!, owner!.AccountId!.Value);
    }

    /// <summary>Puts a person in an account with a role (what accepting an invitation does).</summary>
    private async Task JoinAsync(string userId, Guid accountId, string role)
    {
        await using var db = identity.CreateContext();
        clock.Advance(TimeSpan.FromSeconds(1));
        db.AccountMembers.Add(new AccountMember { AccountId = accountId, UserId = userId, Role = role, CreatedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }

    private static Viewer Person(ControlPanelUser user) => new(user.Id, user.DisplayName, "", null);

    private static Viewer Acting(ControlPanelUser user, Guid accountId, string role) => new(user.Id, user.DisplayName, role, accountId);

    [Fact]
    public async Task Registering_makes_the_person_the_Owner_of_their_new_account()
    {
        var (owner, accountId) = await RegisterAsync("Acme");

        var memberships = await Members.OfAsync(owner.Id);
        Assert.Equal(new AccountMembers.Membership(accountId, "Acme", Roles.Owner), Assert.Single(memberships));
        var viewer = await Members.ActingAsync(Person(owner), null);
        Assert.Equal((Roles.Owner, accountId), (viewer.Role, viewer.AccountId));
    }

    [Fact]
    public async Task A_person_acts_in_the_account_asked_for_with_their_role_there()
    {
        var (alice, acme) = await RegisterAsync("Acme");
        var (_, globex) = await RegisterAsync("Globex");
        await JoinAsync(alice.Id, globex, Roles.Viewer);

        var atAcme = await Members.ActingAsync(Person(alice), acme);
        var atGlobex = await Members.ActingAsync(Person(alice), globex);
        var first = await Members.ActingAsync(Person(alice), null);

        Assert.Equal((Roles.Owner, acme), (atAcme.Role, atAcme.AccountId));
        Assert.Equal((Roles.Viewer, globex), (atGlobex.Role, atGlobex.AccountId));
        Assert.Equal(atAcme, first);
        Assert.True(atAcme.CanChange(acme));
        Assert.False(atGlobex.CanChange(globex));
        Assert.True(atGlobex.CanRead(globex));
        Assert.False(atGlobex.CanRead(acme));
        Assert.Equal(["Acme", "Globex"], (await Members.OfAsync(alice.Id)).Select(m => m.AccountName));
    }

    [Fact]
    public async Task An_account_the_person_is_not_a_member_of_gives_them_no_role_and_staff_stay_staff()
    {
        var (alice, _) = await RegisterAsync("Acme");
        var (_, globex) = await RegisterAsync("Globex");

        var outside = await Members.ActingAsync(Person(alice), globex);
        Assert.Equal(("", (Guid?)null), (outside.Role, outside.AccountId));
        Assert.Throws<AccessDeniedException>(() => AccountScope.VisibleAccount(outside));

        var admin = new Viewer("admin-id", "Ada", Roles.Admin, null);
        Assert.Same(admin, await Members.ActingAsync(admin, globex));
    }

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_Owners_demoting_each_other_at_once_leave_one_Owner(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        await identity.DisposeAsync();
        identity = await IdentityTestServices.CreateAsync(shared: database, clock: clock);
        try
        {
            await identity.EnsureRolesAsync();
            var (first, acme) = await RegisterAsync("Acme");
            var (second, _) = await RegisterAsync("Second's own");
            await JoinAsync(second.Id, acme, Roles.Owner);

            for (var round = 0; round < 10; round++)
            {
                // Each demotes the other at the same moment: one of them must be refused, or the account is left with no Owner.
                var refused = await Task.WhenAll(
                    RefusedAsLastOwnerAsync(() => Members.ChangeRoleAsync(Acting(first, acme, Roles.Owner), acme, second.Id, Roles.Developer)),
                    RefusedAsLastOwnerAsync(() => Members.ChangeRoleAsync(Acting(second, acme, Roles.Owner), acme, first.Id, Roles.Developer)));
                Assert.Equal(1, refused.Count(r => r));
                await using var db = identity.CreateContext();
                Assert.Equal(1, await db.AccountMembers.CountAsync(m => m.AccountId == acme && m.Role == Roles.Owner));
                // Both Owners again for the next round.
                await db.AccountMembers.Where(m => m.AccountId == acme).ExecuteUpdateAsync(set => set.SetProperty(m => m.Role, Roles.Owner));
            }
        }
        finally
        {
            // The test's database goes first: the class's own services get a fresh one to dispose.
            await identity.DisposeAsync();
            identity = await IdentityTestServices.CreateAsync(clock: clock);
        }
    }

    private static async Task<bool> RefusedAsLastOwnerAsync(Func<Task> change)
    {
        try
        {
            await Task.Run(change);
            return false;
        }
        catch (ValidationException e) when (e.Message == AccountMembers.LastOwner)
        {
            return true;
        }
    }

    [Fact]
    public async Task An_account_keeps_at_least_one_Owner()
    {
        var (owner, acme) = await RegisterAsync("Acme");
        var (second, _) = await RegisterAsync("Second's own");
        var viewer = Acting(owner, acme, Roles.Owner);

        var demote = await Assert.ThrowsAsync<ValidationException>(() => Members.ChangeRoleAsync(viewer, acme, owner.Id, Roles.Developer));
        Assert.Equal(AccountMembers.LastOwner, demote.Message);
        await Assert.ThrowsAsync<ValidationException>(() => Members.RemoveAsync(viewer, acme, owner.Id));

        await JoinAsync(second.Id, acme, Roles.Developer);
        await Members.ChangeRoleAsync(viewer, acme, second.Id, Roles.Owner);
        await Members.ChangeRoleAsync(viewer, acme, owner.Id, Roles.Viewer);

        var members = await Members.ListAsync(Acting(second, acme, Roles.Owner), acme);
        Assert.Equal([(second.Id, Roles.Owner), (owner.Id, Roles.Viewer)], members.Select(m => (m.UserId, m.Role)));
        await Assert.ThrowsAsync<ValidationException>(() => Members.RemoveAsync(Acting(second, acme, Roles.Owner), acme, second.Id));
        await Assert.ThrowsAsync<ValidationException>(() => Members.ChangeRoleAsync(Acting(second, acme, Roles.Owner), acme, owner.Id, "Admin"));

        await using var db = identity.CreateContext();
        var changes = await db.AuditEntries.Where(e => e.Action == AuditActions.MemberRoleChanged && e.AccountId == acme).Select(e => e.Changes).ToListAsync();
        Assert.Contains(changes, c => c.EndsWith("Developer → Owner"));
        Assert.Contains(changes, c => c.EndsWith("Owner → Viewer"));
    }

    [Fact]
    public async Task A_token_acts_with_its_creators_role_as_it_is_now_and_stops_when_they_leave()
    {
        var (owner, acme) = await RegisterAsync("Acme");
        var (developer, own) = await RegisterAsync("Developer's own");
        await JoinAsync(developer.Id, acme, Roles.Developer);
        var asDeveloper = Acting(developer, acme, Roles.Developer);
        var atAcme = await Tokens.CreateAsync(asDeveloper, new AccessTokenService.Form { Name = "ci", Scope = AccessTokenScope.ReadWrite });
        var atOwn = await Tokens.CreateAsync(Acting(developer, own, Roles.Owner), new AccessTokenService.Form { Name = "own", Scope = AccessTokenScope.ReadWrite });
        // Each account lists the tokens made in it.
        Assert.Equal(["ci"], (await Tokens.ListAsync(asDeveloper)).Select(t => t.Name));

        var use = (await Tokens.AuthenticateAsync(atAcme.Token, null)).Use!;
        Assert.Equal((Roles.Developer, acme, false), (use.Viewer.Role, use.Viewer.AccountId, use.ReadOnly));
        Assert.True(use.Viewer.CanChange(acme));

        await Members.ChangeRoleAsync(Acting(owner, acme, Roles.Owner), acme, developer.Id, Roles.Viewer);
        use = (await Tokens.AuthenticateAsync(atAcme.Token, null)).Use!;
        Assert.Equal((Roles.Viewer, true), (use.Viewer.Role, use.ReadOnly));
        Assert.False(use.Viewer.CanChange(acme));
        Assert.Equal(AccessTokenScope.ReadOnly, use.Scope);

        await Members.RemoveAsync(Acting(owner, acme, Roles.Owner), acme, developer.Id);
        Assert.NotNull((await Tokens.AuthenticateAsync(atAcme.Token, null)).Refused);
        // Their own account's token goes on working: they left Acme only.
        Assert.Equal(own, (await Tokens.AuthenticateAsync(atOwn.Token, null)).Use!.Viewer.AccountId);
        Assert.DoesNotContain(await Members.OfAsync(developer.Id), m => m.AccountId == acme);

        await using var db = identity.CreateContext();
        var removal = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.MemberRemoved);
        Assert.Equal(acme, removal.AccountId);
        Assert.Contains("1 access token(s) revoked", removal.Changes);
        Assert.NotNull((await db.AccessTokens.SingleAsync(t => t.Id == atAcme.Id)).RevokedAt);
    }

    [Fact]
    public async Task A_developer_makes_applications_in_the_account_they_act_in_and_a_viewer_makes_none()
    {
        var (_, acme) = await RegisterAsync("Acme");
        var (person, _) = await RegisterAsync("Own");
        await JoinAsync(person.Id, acme, Roles.Developer);
        await using var scope = identity.CreateScope();
        var applications = scope.Get<ApplicationService>();

        var created = await applications.CreateAsync(Acting(person, acme, Roles.Developer), new ApplicationService.Form { Name = "Made at Acme" });
        Assert.Equal(acme, created.Application.AccountId);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            applications.CreateAsync(Acting(person, acme, Roles.Viewer), new ApplicationService.Form { Name = "Not made" }));
    }
}
