using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Web.Components.Pages.Audit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace ControlPanel.Components.Tests.Audit;

public sealed class AuditPageTests : ComponentTest
{
    private async Task<Guid> CreateApplicationAsync(Viewer owner, string name) =>
        (await UseAsync<ApplicationService, ApplicationService.Created>(s => s.CreateAsync(owner, new ApplicationService.Form { Name = name }))).Application.Id;

    private static IReadOnlyList<string> Column(IRenderedComponent<AuditPage> page, string testId) =>
        page.FindAll($"[data-testid=audit-table] tbody [data-testid={testId}]").Select(c => c.TextContent.Trim()).ToList();

    [Fact]
    public async Task An_owner_sees_only_their_accounts_entries_with_the_application_column_and_no_account_filter()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        await CreateApplicationAsync(acme, "Storefront");
        var globex = await NewOwnerAsync("Globex");
        await CreateApplicationAsync(globex, "Billing");
        SignIn(acme);

        var page = Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Equal(["Storefront"], Column(page, "audit-application")));
        Assert.Equal(["application.created"], Column(page, "audit-action"));
        Assert.DoesNotContain("Billing", page.Markup);
        Assert.Contains("Application", page.Find("[data-testid=audit-table] thead").TextContent);
        Assert.Empty(page.FindAll("[data-testid=filter-account]"));
        // Each filter says what it is.
        var labels = page.FindAll("[data-testid=audit-filters] label").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(["Application", "Who", "Action", "Dates (UTC, both inclusive)"], labels);
    }

    [Fact]
    public async Task Staff_filter_by_account_and_the_application_choices_follow_it()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        await CreateApplicationAsync(acme, "Storefront");
        var globex = await NewOwnerAsync("Globex");
        var billing = await CreateApplicationAsync(globex, "Billing");
        SignIn(await NewStaffAsync(Roles.Support));

        var page = Render<AuditPage>();
        // Staff sees every account's changes, and the staff invitation that made this Support user (no application: "—").
        page.WaitForAssertion(() => Assert.Equal(["Billing", "Storefront", "—", "—"], Column(page, "audit-application").Order(StringComparer.Ordinal)));
        Assert.Contains("staff.invited", Column(page, "audit-action"));
        Assert.NotNull(page.Find("[data-testid=filter-account]"));

        var account = page.FindComponents<MudSelect<Guid?>>()[0];
        await page.InvokeAsync(() => account.Instance.ValueChanged.InvokeAsync(globex.AccountId));

        page.WaitForAssertion(() => Assert.Equal(["Billing"], Column(page, "audit-application")));

        // An application of the other account is dropped when the account changes (it would match nothing).
        var application = page.FindComponents<MudSelect<Guid?>>()[1];
        await page.InvokeAsync(() => application.Instance.ValueChanged.InvokeAsync(billing));
        await page.InvokeAsync(() => account.Instance.ValueChanged.InvokeAsync(acme.AccountId));
        page.WaitForAssertion(() => Assert.Equal(["Storefront"], Column(page, "audit-application")));
        Assert.Null(application.Instance.GetState(x => x.Value));
    }

    [Fact]
    public async Task Who_and_action_narrow_the_entries()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        var storefront = await CreateApplicationAsync(acme, "Storefront");
        await UseAsync<AdminControls, bool>(async a => { await a.SetOnlineAsync(Admin, storefront, false); return true; });
        SignIn(Admin);

        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Column(page, "audit-action").Count));

        page.Find("input[data-testid=filter-who]").Input("Owner of");
        page.WaitForAssertion(() => Assert.Equal(["application.created"], Column(page, "audit-action")), TimeSpan.FromSeconds(3));

        page.Find("input[data-testid=filter-who]").Input("");
        var action = page.FindComponents<MudSelect<string>>().Single();
        await page.InvokeAsync(() => action.Instance.ValueChanged.InvokeAsync(AuditActions.ApplicationStatusChanged));
        page.WaitForAssertion(() => Assert.Equal([AuditActions.ApplicationStatusChanged], Column(page, "audit-action")), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_says_so_and_a_range_in_the_future_finds_nothing()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        await CreateApplicationAsync(acme, "Storefront");
        SignIn(acme);
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Single(Column(page, "audit-action")));
        var picker = page.FindComponent<MudDateRangePicker>();
        var today = DateTime.UtcNow.Date;

        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today.AddDays(3), today.AddDays(1))));

        var error = page.Find("[data-testid=range-error]");
        Assert.Contains($"The end date {today.AddDays(1):yyyy-MM-dd} is before the start date {today.AddDays(3):yyyy-MM-dd}", error.TextContent);

        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today.AddDays(1), today.AddDays(3))));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=audit-empty]")));
        Assert.Empty(page.FindAll("[data-testid=range-error]"));

        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today, today)));
        page.WaitForAssertion(() => Assert.Single(Column(page, "audit-action")));
    }

    [Fact]
    public async Task A_new_filter_starts_again_from_the_first_page()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        for (var i = 1; i <= 26; i++) await CreateApplicationAsync(acme, $"App {i:00}");
        SignIn(acme);
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(25, Column(page, "audit-action").Count));

        await page.Find("[data-testid=audit-table] button[aria-label='Next page']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["App 01"], Column(page, "audit-application")));

        var action = page.FindComponents<MudSelect<string>>().Single();
        await page.InvokeAsync(() => action.Instance.ValueChanged.InvokeAsync(AuditActions.ApplicationCreated));
        page.WaitForAssertion(() => Assert.Equal(25, Column(page, "audit-action").Count));
        Assert.Equal("App 26", Column(page, "audit-application")[0]);
    }

    [Fact]
    public async Task The_filters_go_into_the_url_and_a_link_with_them_opens_the_same_view()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        var storefront = await CreateApplicationAsync(acme, "Storefront");
        await UseAsync<AdminControls, bool>(async a => { await a.SetOnlineAsync(Admin, storefront, false); return true; });
        SignIn(Admin);
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Column(page, "audit-action").Count));

        var action = page.FindComponents<MudSelect<string>>().Single();
        await page.InvokeAsync(() => action.Instance.ValueChanged.InvokeAsync(AuditActions.ApplicationStatusChanged));
        var picker = page.FindComponent<MudDateRangePicker>();
        var today = DateTime.UtcNow.Date;
        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today.AddDays(-1), today)));

        Assert.Contains($"action={AuditActions.ApplicationStatusChanged}", navigation.Uri);
        Assert.Contains($"from={today.AddDays(-1):yyyy-MM-dd}&to={today:yyyy-MM-dd}", navigation.Uri);
        page.WaitForAssertion(() => Assert.Equal([AuditActions.ApplicationStatusChanged], Column(page, "audit-action")));

        // A reload, Back or a shared link opens the same view.
        var reloaded = Render<AuditPage>();
        reloaded.WaitForAssertion(() => Assert.Equal([AuditActions.ApplicationStatusChanged], Column(reloaded, "audit-action")));
        Assert.Equal(AuditActions.ApplicationStatusChanged, reloaded.FindComponents<MudSelect<string>>().Single().Instance.GetState(x => x.Value));
        Assert.Equal(today.AddDays(-1), reloaded.FindComponent<MudDateRangePicker>().Instance.DateRange?.Start);
    }

    [Fact]
    public async Task A_link_naming_another_accounts_application_shows_only_the_viewers_own_entries()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        await CreateApplicationAsync(acme, "Storefront");
        var globex = await NewOwnerAsync("Globex");
        var billing = await CreateApplicationAsync(globex, "Billing");
        SignIn(acme);
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"audit?applicationId={billing}&accountId={globex.AccountId}");

        var page = Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Equal(["Storefront"], Column(page, "audit-application")));
        Assert.DoesNotContain("Billing", page.Markup);
        Assert.Null(page.FindComponents<MudSelect<Guid?>>().Single().Instance.GetState(x => x.Value));
    }
}
