using ControlPanel.Domain.Applications;
using ControlPanel.Web.Components.Pages.Applications;

namespace ControlPanel.Components.Tests.Applications;

/// <summary>The Admin tab of the application page, rendered in the page so the header and the panel are checked together.</summary>
public sealed class ApplicationAdminPanelTests : ApplicationTest
{
    private async Task<(IRenderedComponent<ApplicationPage> Page, Guid Id)> OpenAdminTabAsync()
    {
        var created = await NewApplicationAsync(await NewOwnerAsync("Acme"), "Storefront");
        SignIn(Admin);
        var page = Render<ApplicationPage>(p => p.Add(x => x.Id, created.Application.Id));
        page.WaitForElement("[data-testid=application-title]");
        await OpenTabAsync(page, "Admin");
        page.WaitForElement("[data-testid=admin-panel]");
        return (page, created.Application.Id);
    }

    private Task<Application> StoredAsync(Guid id) =>
        UseAsync<ApplicationService, Application>(async applications => (await applications.GetAsync(Admin, id)).Application);

    private static string Value(IRenderedComponent<ApplicationPage> page, string testId) => Input(page, testId).GetAttribute("value") ?? "";

    [Fact]
    public async Task The_fields_show_the_saved_values_after_each_of_two_saves()
    {
        var (page, id) = await OpenAdminTabAsync();

        // Changes of less than 90 % each (larger cuts are confirmed first; see below).
        Input(page, "admin-quota").Change("500000");
        Input(page, "admin-allowance").Change("100");
        await page.Find("[data-testid=admin-save-quota]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(500000, StoredAsync(id).Result.MonthlyQuota));
        Snackbars.WaitForAssertion(() => Assert.Contains("Quota saved", Snackbars.Markup));

        Input(page, "admin-quota").Change("700,000");
        Input(page, "admin-allowance").Change("50");
        await page.Find("[data-testid=admin-save-quota]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(700000, StoredAsync(id).Result.MonthlyQuota));
        page.WaitForAssertion(() => Assert.Equal("700000", Value(page, "admin-quota")));
        Assert.Equal("50", Value(page, "admin-allowance"));

        Input(page, "admin-limit-application").Change("120");
        await page.Find("[data-testid=admin-save-limits]").ClickAsync(new());
        Input(page, "admin-limit-application").Change("90");
        Input(page, "admin-limit-user").Change("300");
        await page.Find("[data-testid=admin-save-limits]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(90, StoredAsync(id).Result.ApplicationRateLimit));
        Assert.Equal("90", Value(page, "admin-limit-application"));
        Assert.Equal("300", Value(page, "admin-limit-user"));
    }

    [Fact]
    public async Task A_refused_value_is_explained_next_to_its_button_once_not_again_in_a_snackbar()
    {
        var (page, id) = await OpenAdminTabAsync();

        Input(page, "admin-quota").Change("-5");
        await page.Find("[data-testid=admin-save-quota]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("The monthly quota must be from 0", page.Find("[data-testid=admin-quota-error]").TextContent));
        Assert.DoesNotContain("The monthly quota must be from 0", Snackbars.Markup);
        Assert.Null((await StoredAsync(id)).MonthlyQuota);
    }

    [Theory]
    [InlineData("admin-quota", "admin-save-quota", "the monthly quota")]
    [InlineData("admin-allowance", "admin-save-quota", "the overrun allowance")]
    [InlineData("admin-limit-application", "admin-save-limits", "the limit")]
    public async Task What_is_not_a_number_is_refused_at_its_field_and_nothing_is_saved(string field, string save, string what)
    {
        var (page, id) = await OpenAdminTabAsync();
        var before = await StoredAsync(id);

        Input(page, field).Change("5k");
        await page.Find($"[data-testid={save}]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains($"Enter {what} as a whole number in digits", page.Find($"[data-testid={field}]").Closest(".mud-input-control")!.TextContent));
        Assert.Equal("5k", Value(page, field));
        var after = await StoredAsync(id);
        Assert.Equal((before.MonthlyQuota, before.QuotaOverrunAllowance, before.ApplicationRateLimit), (after.MonthlyQuota, after.QuotaOverrunAllowance, after.ApplicationRateLimit));
        Assert.Empty(DialogHost.FindAll("[data-testid=confirm]"));
    }

    [Fact]
    public async Task A_cut_of_the_quota_by_more_than_90_percent_is_confirmed_first()
    {
        var (page, id) = await OpenAdminTabAsync();

        // From the default of 1,000,000 to 5: asked, and cancelling saves nothing.
        Input(page, "admin-quota").Change("5");
        _ = page.Find("[data-testid=admin-save-quota]").ClickAsync(new());
        DialogHost.WaitForAssertion(() => Assert.Contains("from 1,000,000 to 5, a cut of more than 90 %", DialogHost.Markup));
        await DialogHost.Find("[data-testid=confirm-cancel]").ClickAsync(new());
        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll("[data-testid=confirm]")));
        Assert.Null((await StoredAsync(id)).MonthlyQuota);

        // Confirmed, it is saved.
        _ = page.Find("[data-testid=admin-save-quota]").ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(5, StoredAsync(id).Result.MonthlyQuota));

        // A smaller cut (5 to 1 is 80 %) is not asked about.
        Input(page, "admin-quota").Change("1");
        await page.Find("[data-testid=admin-save-quota]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(1, StoredAsync(id).Result.MonthlyQuota));
    }

    [Fact]
    public async Task Taking_offline_confirms_in_the_danger_colour_and_then_the_header_and_the_status_card_both_say_offline()
    {
        var (page, id) = await OpenAdminTabAsync();
        Assert.Equal("Take offline", page.Find("[data-testid=admin-toggle-online]").TextContent.Trim());

        page.Find("[data-testid=admin-toggle-online]").Click();
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        Assert.Contains("110 APPLICATION OFFLINE", DialogHost.Markup);
        await confirm.ClickAsync(new());

        // Taken offline by an Admin is a suspension: "Suspended" in the header and on the card, as on the owner's dashboard.
        page.WaitForAssertion(() => Assert.Equal("Suspended", page.Find("[data-testid=application-status]").TextContent.Trim()));
        Assert.Equal("Suspended", page.Find("[data-testid=admin-status]").TextContent.Trim());
        Assert.Equal("Bring online", page.Find("[data-testid=admin-toggle-online]").TextContent.Trim());
        Assert.False((await StoredAsync(id)).IsOnline);

        // Bringing it back confirms too, without the danger colour.
        page.Find("[data-testid=admin-toggle-online]").Click();
        confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-primary", confirm.ClassName);
        await confirm.ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("Online", page.Find("[data-testid=application-status]").TextContent.Trim()));
        Assert.Equal("Online", page.Find("[data-testid=admin-status]").TextContent.Trim());
        Assert.Equal("Take offline", page.Find("[data-testid=admin-toggle-online]").TextContent.Trim());
    }

    [Fact]
    public async Task Cancelling_take_offline_changes_nothing()
    {
        var (page, id) = await OpenAdminTabAsync();

        page.Find("[data-testid=admin-toggle-online]").Click();
        await DialogHost.WaitForElement("[data-testid=confirm-cancel]").ClickAsync(new());

        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll("[data-testid=confirm]")));
        Assert.True((await StoredAsync(id)).IsOnline);
        Assert.Equal("Online", page.Find("[data-testid=admin-status]").TextContent.Trim());
    }

    [Fact]
    public async Task An_Admin_suspension_shows_the_owner_why_and_the_owner_cannot_switch_it_back_on()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await NewApplicationAsync(owner, "Storefront");
        SignIn(Admin);
        var admin = Render<ApplicationPage>(p => p.Add(x => x.Id, created.Application.Id));
        admin.WaitForElement("[data-testid=application-title]");
        await OpenTabAsync(admin, "Admin");
        Input(admin, "admin-suspension-reason").Change("Unpaid invoice");
        admin.Find("[data-testid=admin-toggle-online]").Click();
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        admin.WaitForAssertion(() => Assert.Contains("Suspended by an Admin: Unpaid invoice", admin.Find("[data-testid=admin-suspension]").TextContent));

        SignIn(owner);
        var page = Render<ApplicationPage>(p => p.Add(x => x.Id, created.Application.Id));
        page.WaitForElement("[data-testid=application-title]");

        Assert.Contains("Suspended by an Admin: Unpaid invoice", page.Find("[data-testid=suspended-by-admin]").TextContent);
        Assert.True(Input(page, "application-online").HasAttribute("disabled"));
        var stored = await StoredAsync(created.Application.Id);
        Assert.True(stored.SuspendedByAdmin);
        Assert.False(stored.IsOnline);
    }
}
