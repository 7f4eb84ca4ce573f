using System.Reflection;
using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Pages.Admin;
using Microsoft.AspNetCore.Authorization;
using DashboardService = ControlPanel.Domain.Accounts.Dashboard;

namespace ControlPanel.Components.Tests.Admin;

public sealed class AdminAccountsTests : ComponentTest
{
    private static IReadOnlyList<string> Names(IRenderedComponent<AdminAccounts> page) =>
        page.FindAll("[data-testid=account-name]").Select(n => n.TextContent).ToList();

    [Fact]
    public async Task An_admin_locks_an_account_after_a_danger_confirmation_and_sees_a_locked_chip()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        SignIn(Admin);
        var page = Render<AdminAccounts>();
        var row = page.WaitForElement("[data-testid=accounts-grid] tbody tr");
        Assert.Equal("Active", row.QuerySelector("[data-testid=account-status]")!.TextContent.Trim());

        // The click's handler waits for the dialog's answer.
        var click = page.Find("[data-testid=lock-account]").ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        Assert.Contains("225 ACCOUNT IS LOCKED", DialogHost.Markup);
        // A lock takes a reason: the button waits for one.
        Assert.True(confirm.HasAttribute("disabled"));
        DialogHost.Find("textarea[data-testid=confirm-reason]").Input("Unpaid invoices");
        await DialogHost.WaitForElement("[data-testid=confirm]:not([disabled])").ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Assert.Equal("Locked", page.Find("[data-testid=account-status]").TextContent.Trim()));
        var chip = page.Find("[data-testid=account-status]");
        Assert.Contains("mud-chip-color-error", chip.ClassName);
        // The chip has its own cell: never glued to the name.
        Assert.Null(page.Find("[data-testid=account-name]").Closest("td")!.QuerySelector("[data-testid=account-status]"));
        Snackbars.WaitForAssertion(() => Assert.Contains("Locked \"Acme Ltd\"", Snackbars.Markup));
        var locked = await UseAsync<DashboardService, DashboardService.AccountPage>(d => d.ListAccountsAsync(Admin, new()));
        Assert.True(Assert.Single(locked.Rows).IsLocked);

        // Unlocking is not destructive: it confirms in the primary colour.
        click = page.Find("[data-testid=unlock-account]").ClickAsync(new());
        var unlock = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-primary", unlock.ClassName);
        DialogHost.Find("textarea[data-testid=confirm-reason]").Input("Paid");
        await DialogHost.WaitForElement("[data-testid=confirm]:not([disabled])").ClickAsync(new());
        await click;
        page.WaitForAssertion(() => Assert.Equal("Active", page.Find("[data-testid=account-status]").TextContent.Trim()));
    }

    [Fact]
    public async Task Cancelling_the_lock_changes_nothing()
    {
        await NewOwnerAsync("Acme Ltd");
        SignIn(Admin);
        var page = Render<AdminAccounts>();
        var click = page.WaitForElement("[data-testid=lock-account]").ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm-cancel]").ClickAsync(new());
        await click;

        Assert.Equal("Active", page.Find("[data-testid=account-status]").TextContent.Trim());
        var accounts = await UseAsync<DashboardService, DashboardService.AccountPage>(d => d.ListAccountsAsync(Admin, new()));
        Assert.False(Assert.Single(accounts.Rows).IsLocked);
    }

    [Fact]
    public async Task Accounts_are_paged_sorted_and_filtered_by_name_in_the_database()
    {
        for (var i = 1; i <= 27; i++) await NewOwnerAsync($"Org {i:00}");
        await NewOwnerAsync("Globex");
        SignIn(Admin);
        var page = Render<AdminAccounts>();

        page.WaitForAssertion(() => Assert.Equal(25, Names(page).Count));
        Assert.Equal("Globex", Names(page)[0]);
        Assert.Contains("1-25 of 28", page.Find("[data-testid=accounts-pager]").TextContent);

        await page.Find("[data-testid=accounts-pager] button[aria-label='Next page']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["Org 25", "Org 26", "Org 27"], Names(page)));

        // Sorting by name descending, still on the second page: the first names last.
        await page.FindAll("th .mud-table-sort-label")[0].ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["Org 02", "Org 01", "Globex"], Names(page)));

        // A filter starts again from the first page, any case.
        page.Find("input[data-testid=account-filter]").Input("GLOB");
        page.WaitForAssertion(() => Assert.Equal(["Globex"], Names(page)), TimeSpan.FromSeconds(3));
        page.Find("input[data-testid=account-filter]").Input("nobody");
        page.WaitForAssertion(() => Assert.Contains("No account's name contains \"nobody\"", page.Find("[data-testid=accounts-empty]").TextContent), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Only_admins_may_open_the_page()
    {
        var authorize = typeof(AdminAccounts).GetCustomAttribute<AuthorizeAttribute>();
        Assert.Equal(Roles.Admin, authorize?.Roles);
    }

    [Fact]
    public async Task Support_rendering_it_gets_not_found_and_no_lock_control()
    {
        await NewOwnerAsync("Acme Ltd");
        SignIn(await NewStaffAsync(Roles.Support));

        var page = Render<AdminAccounts>();

        Assert.NotNull(page.Find("[data-testid=not-found]"));
        Assert.Empty(page.FindAll("[data-testid=lock-account]"));
        Assert.Empty(page.FindAll("[data-testid=account-name]"));
    }

    [Fact]
    public async Task An_owner_rendering_it_gets_not_found_and_the_domain_refuses_them_the_list_and_the_lock()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        SignIn(owner);

        var page = Render<AdminAccounts>();

        Assert.NotNull(page.Find("[data-testid=not-found]"));
        Assert.Empty(page.FindAll("[data-testid=account-name]"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync<DashboardService, DashboardService.AccountPage>(d => d.ListAccountsAsync(owner, new())));
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync<ControlPanel.Domain.Applications.AdminControls, bool>(async a =>
        {
            await a.SetAccountLockedAsync(owner, owner.AccountId!.Value, true, "Unpaid invoices");
            return true;
        }));
    }
}
