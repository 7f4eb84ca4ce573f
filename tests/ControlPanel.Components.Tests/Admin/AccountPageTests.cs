using System.Reflection;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Web.Components.Pages.Admin;
using Microsoft.AspNetCore.Authorization;

namespace ControlPanel.Components.Tests.Admin;

/// <summary>An account's page for staff: Admins lock and unlock it for a reason, Support reads it, members never see it.</summary>
public sealed class AccountPageTests : ComponentTest
{
    [Fact]
    public void Only_staff_may_open_the_page()
    {
        var authorize = typeof(AccountPage).GetCustomAttribute<AuthorizeAttribute>();
        Assert.Equal(Roles.StaffPolicyRoles, authorize?.Roles);
    }

    [Fact]
    public async Task An_admin_sees_members_and_applications_and_locks_the_account_for_a_reason_the_owners_see()
    {
        var owner = await NewOwnerAsync("Initech");
        await NewMemberAsync(owner, Roles.Developer);
        await UseAsync<ApplicationService, ApplicationService.Created>(a => a.CreateAsync(owner, new ApplicationService.Form { Name = "Storefront" }));
        SignIn(Admin);
        var page = Render<AccountPage>(p => p.Add(x => x.AccountId, owner.AccountId!.Value));

        page.WaitForAssertion(() => Assert.Equal("Initech", page.Find("[data-testid=account-title]").TextContent));
        Assert.Equal([Roles.Owner, Roles.Developer], page.FindAll("[data-testid=account-member-role]").Select(e => e.TextContent));
        Assert.Equal("Storefront", page.Find("[data-testid=account-application]").TextContent);

        var click = page.Find("[data-testid=lock-account]").ClickAsync(new());
        DialogHost.WaitForElement("textarea[data-testid=confirm-reason]").Input("Unpaid invoices");
        await DialogHost.WaitForElement("[data-testid=confirm]:not([disabled])").ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Assert.Equal("Locked", page.Find("[data-testid=account-status]").TextContent.Trim()));
        Assert.Contains("Unpaid invoices", page.Find("[data-testid=lock-reason]").TextContent);
        var summary = await UseAsync<Dashboard, Dashboard.OwnerSummary>(d => d.ForOwnerAsync(owner));
        Assert.Contains(summary.Alerts, a => a.Message.Contains("The reason given: Unpaid invoices"));
    }

    [Fact]
    public async Task Support_reads_the_page_without_lock_controls_and_a_member_gets_not_found()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(await NewStaffAsync(Roles.Support));
        var page = Render<AccountPage>(p => p.Add(x => x.AccountId, owner.AccountId!.Value));
        page.WaitForAssertion(() => Assert.Equal("Initech", page.Find("[data-testid=account-title]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=lock-account]"));

        SignIn(owner);
        page = Render<AccountPage>(p => p.Add(x => x.AccountId, owner.AccountId!.Value));
        page.WaitForAssertion(() => Assert.Contains("not found", page.Markup, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(page.FindAll("[data-testid=account-members]"));
    }
}
