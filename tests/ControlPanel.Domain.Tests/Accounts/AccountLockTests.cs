using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>Staff lock and unlock an account for a reason its members see and its Owners are mailed; staff see the account on one page.</summary>
public sealed class AccountLockTests : IAsyncLifetime
{
    private static readonly Viewer Admin = new("admin-id", "Ada Admin", Roles.Admin, null);
    private readonly FakeTimeProvider clock = new(TestClock.Start);
    private IdentityTestServices identity = default!;
    private Viewer owner = default!;
    private Guid acme;

    public async Task InitializeAsync()
    {
        identity = await IdentityTestServices.CreateAsync(clock: clock);
        await identity.EnsureRolesAsync();
        var user = await identity.RegisterOwnerAsync();
        acme = user.AccountId!.Value;
        owner = new Viewer(user.Id, user.DisplayName, Roles.Owner, acme);
        // A Developer of the account: notices are the Owners', not theirs.
        await using var db = identity.CreateContext();
        var developer = new ControlPanelUser { UserName = "dev@acme.test", Email = "dev@acme.test", DisplayName = "Dana", PasswordHash = "set" };
        db.Users.Add(developer);
        db.AccountMembers.Add(new AccountMember { AccountId = acme, UserId = developer.Id, Role = Roles.Developer });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await identity.DisposeAsync();

    private async Task<T> UseAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = identity.CreateScope();
        return await action(scope.Get<TService>());
    }

    private Task LockAsync(bool locked, string reason) =>
        UseAsync<AdminControls, bool>(async a => { await a.SetAccountLockedAsync(Admin, acme, locked, reason); return true; });

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_lock_without_a_reason_is_refused_and_changes_nothing(string reason)
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() => LockAsync(true, reason));
        Assert.Equal(AdminControls.ReasonRequired, refused.Message);
        await using var db = identity.CreateContext();
        Assert.False((await db.Accounts.SingleAsync(a => a.Id == acme)).IsLocked);
    }

    [Fact]
    public async Task The_reason_is_shown_to_members_audited_and_mailed_to_the_owners_both_ways()
    {
        await LockAsync(true, "  Unpaid invoices since November  ");

        var summary = await UseAsync<Dashboard, Dashboard.OwnerSummary>(d => d.ForOwnerAsync(owner with { Role = Roles.Viewer }));
        Assert.True(summary.AccountLocked);
        Assert.Contains("The reason given: Unpaid invoices since November", Assert.Single(summary.Alerts, a => a.Kind == Dashboard.AlertKind.AccountLocked).Message);

        clock.Advance(TimeSpan.FromMinutes(5));
        await LockAsync(false, "Paid");
        summary = await UseAsync<Dashboard, Dashboard.OwnerSummary>(d => d.ForOwnerAsync(owner));
        Assert.DoesNotContain(summary.Alerts, a => a.Kind == Dashboard.AlertKind.AccountLocked);

        await using var db = identity.CreateContext();
        Assert.Null((await db.Accounts.SingleAsync(a => a.Id == acme)).LockReason);
        var mails = await db.OutboxMails.Where(m => m.Kind == MailKinds.AccountLocked || m.Kind == MailKinds.AccountUnlocked).OrderBy(m => m.CreatedAt).ToListAsync();
        Assert.Equal([("olive@controlpanel.test", MailKinds.AccountLocked), ("olive@controlpanel.test", MailKinds.AccountUnlocked)], mails.Select(m => (m.To, m.Kind)));
        Assert.Contains("The reason given: Unpaid invoices since November", mails[0].TextBody);
        Assert.Contains("The reason given: Paid", mails[1].TextBody);
        Assert.DoesNotContain("Acme", mails[0].Subject);
        var audit = await db.AuditEntries.Where(e => e.AccountId == acme && (e.Action == AuditActions.AccountLocked || e.Action == AuditActions.AccountUnlocked))
            .OrderBy(e => e.Id).Select(e => e.Changes).ToListAsync();
        Assert.Equal(["Locked account \"Acme\": Unpaid invoices since November", "Unlocked account \"Acme\": Paid"], audit);
    }

    [Fact]
    public async Task Staff_see_the_account_on_one_page_and_members_do_not()
    {
        await LockAsync(true, "Unpaid invoices");
        foreach (var staff in new[] { Admin, new Viewer("support-id", "Sam", Roles.Support, null) })
        {
            var overview = await UseAsync<AccountOverview, AccountOverview.Overview>(o => o.GetAsync(staff, acme));
            Assert.Equal(("Acme", true, "Unpaid invoices"), (overview.Account.Name, overview.Account.IsLocked, overview.Account.LockReason));
            Assert.Equal([Roles.Owner, Roles.Developer], overview.Members.Select(m => m.Role));
        }
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync<AccountOverview, AccountOverview.Overview>(o => o.GetAsync(owner, acme)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync<AccountOverview, AccountOverview.Overview>(o => o.GetAsync(Admin, Guid.NewGuid())));
    }
}
