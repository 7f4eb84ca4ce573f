using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Components.Pages.Admin;
using ControlPanel.Web.Components.Pages.Usage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace ControlPanel.Components.Tests.Usage;

public sealed class UsagePageTests : UsageComponentTest
{
    [Fact]
    public async Task An_owner_sees_their_usage_and_history_without_an_account_filter()
    {
        var owner = await NewOwnerAsync("Acme");
        var (_, keys) = await NewApplicationAsync(owner, "Storefront");
        await CallAsync(keys, 3);
        SignIn(owner);

        var cut = Render<UsagePage>();

        Assert.Empty(cut.FindAll("[data-testid=filter-account]"));
        Assert.Contains("Application", cut.Find("[data-testid=filter-application]").TextContent);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=history-grid] tbody tr")));
        var row = cut.Find("[data-testid=history-grid] tbody tr");
        Assert.Contains("Storefront", row.TextContent);
        Assert.Equal("3", cut.Find("[data-testid=range-total]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=export-csv]"));
        Assert.Equal("3", cut.Find("[data-testid=quota-used]").TextContent);
    }

    [Fact]
    public async Task An_owner_linking_to_another_accounts_application_sees_only_their_own_usage()
    {
        var other = await NewOwnerAsync("Globex");
        var (theirs, keys) = await NewApplicationAsync(other, "Secret app");
        await CallAsync(keys, 2);
        var owner = await NewOwnerAsync("Acme");
        await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"usage?applicationId={theirs}");

        var cut = Render<UsagePage>();

        Assert.DoesNotContain("Secret app", cut.Markup);
        Assert.Equal("0", cut.Find("[data-testid=range-total]").TextContent);
        cut.WaitForAssertion(() => Assert.Contains("No calls in this range.", cut.Find("[data-testid=history-grid]").TextContent));
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_shows_the_message_at_the_date_field()
    {
        SignIn(await NewOwnerAsync("Acme"));
        var cut = Render<UsagePage>();
        var today = DateTime.UtcNow.Date;
        Assert.Empty(cut.FindAll("[data-testid=filter-range]"));

        var preset = cut.FindComponent<MudSelect<UsageRangePreset>>();
        await cut.InvokeAsync(() => preset.Instance.ValueChanged.InvokeAsync(UsageRangePreset.Custom));
        var picker = cut.FindComponent<MudDateRangePicker>();
        await cut.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today, today.AddDays(-3))));

        Assert.Contains("is before the start date", cut.Find("[data-testid=filter-range]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=daily-chart]"));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=export-csv]")));

        await cut.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today.AddDays(-3), today)));
        Assert.DoesNotContain("is before the start date", cut.Find("[data-testid=filter-range]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=daily-chart]"));
    }

    [Fact]
    public async Task The_range_defaults_to_the_last_30_days_and_presets_and_filters_go_into_the_url()
    {
        var owner = await NewOwnerAsync("Acme");
        var (id, keys) = await NewApplicationAsync(owner, "Storefront");
        await CallAsync(keys, 2);
        SignIn(owner);
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var cut = Render<UsagePage>();

        Assert.Equal(UsageRangePreset.Last30Days, cut.FindComponent<MudSelect<UsageRangePreset>>().Instance.GetState(x => x.Value));
        Assert.Contains($"Last 30 days: {today.AddDays(-29):yyyy-MM-dd} to {today:yyyy-MM-dd}", cut.Find("[data-testid=daily-chart]").TextContent);
        Assert.Equal(UsageRangePreset.Last30Days, cut.FindComponent<UsageHistoryTable>().Instance.Filter.Range);

        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<UsageRangePreset>>().Instance.ValueChanged.InvokeAsync(UsageRangePreset.Last24Hours));
        Assert.Contains("range=24h", navigation.Uri);
        cut.WaitForAssertion(() => Assert.Equal("Calls per hour", cut.Find("[data-testid=daily-chart] h2").TextContent.Trim()));
        Assert.Equal("2", cut.Find("[data-testid=range-total]").TextContent);

        var application = cut.FindComponents<MudSelect<Guid?>>()[0];
        await cut.InvokeAsync(() => application.Instance.ValueChanged.InvokeAsync(id));
        Assert.Contains($"applicationId={id}", navigation.Uri);
        Assert.Contains("range=24h", navigation.Uri);
        // A reload (or a shared link) opens the same view.
        var reloaded = Render<UsagePage>();
        Assert.Equal(UsageRangePreset.Last24Hours, reloaded.FindComponent<MudSelect<UsageRangePreset>>().Instance.GetState(x => x.Value));
        Assert.Equal(id, reloaded.FindComponents<MudSelect<Guid?>>()[0].Instance.GetState(x => x.Value));
    }

    [Fact]
    public async Task A_custom_range_may_not_end_in_the_future()
    {
        SignIn(await NewOwnerAsync("Acme"));
        var today = DateTime.UtcNow.Date;
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"usage?range=custom&from={today.AddDays(-3):yyyy-MM-dd}&to={today.AddDays(2):yyyy-MM-dd}");

        var cut = Render<UsagePage>();

        Assert.Contains("is in the future", cut.Find("[data-testid=filter-range]").TextContent);
        Assert.Equal(today, cut.FindComponent<MudDateRangePicker>().Instance.GetState(x => x.MaxDate));
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Admin)]
    public async Task Staff_filter_by_account_and_see_the_account_column_but_no_change_controls(string role)
    {
        var acme = await NewOwnerAsync("Acme");
        var (_, keys) = await NewApplicationAsync(acme, "Storefront");
        var globex = await NewOwnerAsync("Globex");
        var (_, globexKeys) = await NewApplicationAsync(globex, "Backoffice");
        await CallAsync(keys, 2);
        await CallAsync(globexKeys, 1);
        SignIn(role == Roles.Admin ? Admin : await NewStaffAsync(role));

        var cut = Render<UsagePage>();

        Assert.Contains("Account", cut.Find("[data-testid=filter-account]").TextContent);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=history-grid] tbody tr").Count));
        Assert.Contains("Acme", cut.Find("[data-testid=history-grid]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=range-total]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=admin-save-quota], [data-testid=lock-account], [data-testid=save-application]"));

        // Choosing an account narrows everything to it.
        var account = cut.FindComponents<MudSelect<Guid?>>()[0];
        var acmeId = (await UseAsync<Dashboard, IReadOnlyList<Dashboard.AccountChoice>>(d => d.AccountsAsync(Admin))).Single(a => a.Name == "Acme").Id;
        await cut.InvokeAsync(() => account.Instance.ValueChanged.InvokeAsync(acmeId));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=history-grid] tbody tr")));
        Assert.Equal("2", cut.Find("[data-testid=range-total]").TextContent);
        Assert.Contains("accountId=", cut.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Admin)]
    public async Task The_quota_overview_lists_accounts_and_applications_by_quota_used_and_those_over_quota(string role)
    {
        var acme = await NewOwnerAsync("Acme");
        var (full, keys) = await NewApplicationAsync(acme, "Storefront");
        await SetQuotaAsync(full, 2, 1);
        await CallAsync(keys, 3);
        await NewApplicationAsync(await NewOwnerAsync("Globex"), "Backoffice");
        SignIn(role == Roles.Admin ? Admin : await NewStaffAsync(role));

        var cut = Render<AdminOverview>();

        Assert.Equal("1", cut.Find("[data-testid=over-quota-count]").TextContent.Trim());
        Assert.Contains("Storefront", cut.Find("[data-testid=over-quota]").TextContent);
        var accounts = cut.Find("[data-testid=top-accounts]").TextContent;
        Assert.True(accounts.IndexOf("Acme", StringComparison.Ordinal) < accounts.IndexOf("Globex", StringComparison.Ordinal));
        // Each account leads to its page, which Support may open as Admins do.
        Assert.Equal($"admin/accounts/{acme.AccountId}", cut.FindAll("[data-testid=overview-account]")[0].GetAttribute("href"));
        // An account is as full as its fullest application; its quotas are never added up.
        Assert.Equal("Storefront: 150% of 2", cut.FindAll("[data-testid=account-fullest]")[0].TextContent.Trim());
        var bars = cut.FindAll("[data-testid=quota-bar-text]").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal("3 of 2 (150%)", bars[0]);
        Assert.Contains("No calls answered 158 this month.", cut.Find("[data-testid=top-rate-limited]").TextContent);
        // Read-only: the only buttons are refresh and the chart/table toggle.
        Assert.Equal(["refresh-overview", "top-quota-toggle"], cut.FindAll("button").Select(b => b.GetAttribute("data-testid")));
    }
}
