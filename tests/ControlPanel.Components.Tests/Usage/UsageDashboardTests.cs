using System.Text.Json.Nodes;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Components.Charts;
using ControlPanel.Web.Components.Pages.Usage;
using ControlPanel.Web.Components.Shared;

namespace ControlPanel.Components.Tests.Usage;

public sealed class UsageDashboardTests : UsageComponentTest
{
    [Fact]
    public async Task An_owners_calls_show_in_every_chart_and_table_with_the_applications_quota()
    {
        var owner = await NewOwnerAsync("Acme");
        var (id, keys) = await NewApplicationAsync(owner, "Storefront");
        Assert.Equal([0, 0, 0], await CallAsync(keys, 3));
        SignIn(owner);

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter(ApplicationId: id)));

        Assert.Equal("3", cut.Find("[data-testid=quota-used]").TextContent);
        Assert.Equal("1,000,000", cut.Find("[data-testid=quota-limit]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=range-total]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=live-total]").TextContent);
        // Charts draw (an ApexCharts chart each), not empty states.
        foreach (var chart in new[] { "month-chart", "daily-chart", "outcome-chart", "live-chart" })
        {
            Assert.NotNull(cut.Find($"[data-testid={chart}-chart] .cp-apexchart"));
            Assert.Empty(cut.FindAll($"[data-testid={chart}-empty]"));
        }
        // Time axes with titles and units, and a tooltip that names the time, each outcome and the total.
        var daily = OptionsOf(cut, "daily-chart");
        Assert.Equal("datetime", (string?)daily["xaxis"]!["type"]);
        Assert.Equal("Day (UTC)", (string?)daily["xaxis"]!["title"]!["text"]);
        Assert.Equal("Calls per day", (string?)daily["yaxis"]!["title"]!["text"]);
        Assert.True((bool)daily["tooltip"]!["shared"]!);
        Assert.True((bool)daily["tooltip"]!["custom"]!["total"]!);
        Assert.True((bool)daily["chart"]!["zoom"]!["enabled"]!);
        Assert.Equal("Calls per minute", (string?)OptionsOf(cut, "live-chart")["yaxis"]!["title"]!["text"]);
        Assert.Equal(["Allowed"], SeriesOf(cut, "daily-chart"));
        Assert.Contains("100% allowed (3 of 3 calls)", cut.Find("[data-testid=success-rate]").TextContent);
        // A quota of a million, far above three calls, is drawn all the same, and the axis reaches it.
        Assert.Equal(1_000_000, QuotaLines(cut)[0]);
        Assert.True((double)OptionsOf(cut, "month-chart")["yaxis"]!["max"]! >= 1_000_000);
        Assert.Contains("against the monthly quota of 1,000,000", cut.Find("[data-testid=month-chart]").TextContent);
        Assert.Equal(["Month to date"], SeriesOf(cut, "month-chart"));
    }

    [Fact]
    public async Task The_live_chart_shows_the_last_hour_by_minute_or_the_last_day_by_hour()
    {
        var owner = await NewOwnerAsync("Acme");
        var (id, keys) = await NewApplicationAsync(owner, "Storefront");
        await CallAsync(keys, 2);
        SignIn(owner);
        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter(ApplicationId: id)));
        Assert.Equal(60, Chart(cut, "live-chart")["series"]![0]!["data"]!.AsArray().Count);

        await cut.Find("[data-testid=live-window] button:last-child").ClickAsync(new());

        Assert.Contains("Live: calls per hour, last 24 hours", cut.Find("[data-testid=live-chart]").TextContent);
        Assert.Equal(24, Chart(cut, "live-chart")["series"]![0]!["data"]!.AsArray().Count);
        Assert.Equal("2", cut.Find("[data-testid=live-total]").TextContent);
    }

    [Fact]
    public async Task The_month_chart_draws_the_quota_and_the_allowance()
    {
        var owner = await NewOwnerAsync("Acme");
        var (id, keys) = await NewApplicationAsync(owner, "Storefront");
        await SetQuotaAsync(id, 4, 2);
        await CallAsync(keys, 3);
        SignIn(owner);

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter(ApplicationId: id)));

        Assert.Equal(["Month to date"], SeriesOf(cut, "month-chart"));
        Assert.Equal([4, 6], QuotaLines(cut));
        Assert.StartsWith("Monthly quota: 4", (string?)OptionsOf(cut, "month-chart")["annotations"]!["yaxis"]![0]!["label"]!["text"]);
        Assert.Contains("monthly quota of 4 calls and the overrun allowance up to 6 calls", cut.Find("[data-testid=month-chart]").TextContent);
    }

    [Fact]
    public async Task With_several_applications_the_quota_panel_shows_each_applications_use_and_the_month_chart_their_quotas_added_up()
    {
        var owner = await NewOwnerAsync("Acme");
        var (small, smallKeys) = await NewApplicationAsync(owner, "Small");
        await NewApplicationAsync(owner, "Big");
        await SetQuotaAsync(small, 10, 0);
        await CallAsync(smallKeys, 8);
        SignIn(owner);

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter()));

        var panel = cut.Find("[data-testid=quota-gauge]").TextContent;
        Assert.DoesNotContain("1,000,010", panel);
        Assert.Empty(cut.FindAll("[data-testid=quota-used]"));
        Assert.Contains("Most used: Small", cut.Find("[data-testid=quota-fullest]").TextContent);
        var bars = cut.FindAll("[data-testid=quota-bar-text]").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal(["8 of 10 (80%)", "0 of 1,000,000 (0%)"], bars);
        // A million above 8 calls is drawn too, as the quotas added up: every month chart shows its quota.
        Assert.Equal(1_000_010, QuotaLines(cut)[0]);
        Assert.Contains("(2 applications)", (string?)OptionsOf(cut, "month-chart")["annotations"]!["yaxis"]![0]!["label"]!["text"]);
    }

    [Fact]
    public async Task With_several_applications_near_their_quotas_the_month_chart_draws_their_sum()
    {
        var owner = await NewOwnerAsync("Acme");
        var (small, smallKeys) = await NewApplicationAsync(owner, "Small");
        var (other, otherKeys) = await NewApplicationAsync(owner, "Other");
        await SetQuotaAsync(small, 10, 2);
        await SetQuotaAsync(other, 5, 1);
        await CallAsync(smallKeys, 6);
        await CallAsync(otherKeys, 3);
        SignIn(owner);

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter()));

        Assert.Equal([15, 18], QuotaLines(cut));
        Assert.Contains("(2 applications)", (string?)OptionsOf(cut, "month-chart")["annotations"]!["yaxis"]![0]!["label"]!["text"]);
        Assert.Contains("against their quotas added up", cut.Find("[data-testid=month-chart]").TextContent);
    }

    [Theory]
    [InlineData("Owner")]
    [InlineData("Support")]
    public async Task Calls_and_refusals_are_split_by_resource_with_the_most_called_first(string role)
    {
        await UseAsync<ControlPanel.Domain.Resources.ResourceService, Guid>(resources => resources.CreateAsync(Admin,
            new ControlPanel.Domain.Resources.ResourceService.Form { Method = "GET", Path = "/v1/chats/{id}" }));
        var owner = await NewOwnerAsync("Acme");
        var (id, keys) = await NewApplicationAsync(owner, "Storefront");
        await CallAsync(keys, 1);
        await CallAsync(keys, 2, "GET", "/v1/chats/7");
        SignIn(role == "Owner" ? owner : await NewStaffAsync(role));

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter(ApplicationId: id, Range: UsageRangePreset.Last7Days)));

        Assert.Equal("GET /v1/chats/{id}", cut.Find("[data-testid=top-resource]").TextContent);
        Assert.Equal(["GET /v1/chats/{id}", "any /**"], SeriesOf(cut, "resource-chart"));
        await cut.Find("[data-testid=resource-chart-toggle]").ClickAsync(new());
        Assert.Equal(["GET /v1/chats/{id}", "any /**"], cut.FindAll("[data-testid=resource-name]").Select(c => c.TextContent));
        Assert.Equal(["2", "1"], cut.FindAll("[data-testid=resource-total]").Select(c => c.TextContent));
    }

    private static JsonNode Chart(IRenderedComponent<UsageDashboard> cut, string panel) =>
        JsonNode.Parse(cut.FindComponents<ChartPanel>().Single(p => p.Instance.TestId == panel).FindComponent<ApexChart>().Instance.Json)!;

    private static JsonNode OptionsOf(IRenderedComponent<UsageDashboard> cut, string panel) => Chart(cut, panel)["options"]!;

    private static List<string> SeriesOf(IRenderedComponent<UsageDashboard> cut, string panel) =>
        Chart(cut, panel)["series"]!.AsArray().Select(s => (string)s!["name"]!).ToList();

    private static List<double> QuotaLines(IRenderedComponent<UsageDashboard> cut) =>
        OptionsOf(cut, "month-chart")["annotations"]?["yaxis"]?.AsArray().Select(l => (double)l!["y"]!).ToList() ?? [];

    [Fact]
    public async Task Without_calls_every_chart_shows_an_empty_state_instead_of_bare_axes()
    {
        var owner = await NewOwnerAsync("Acme");
        var (id, _) = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter(ApplicationId: id)));

        Assert.Contains("No counted calls this month yet.", cut.Find("[data-testid=month-chart-empty]").TextContent);
        Assert.Contains("No calls in this date range.", cut.Find("[data-testid=daily-chart-empty]").TextContent);
        Assert.Contains("No calls in this date range.", cut.Find("[data-testid=outcome-chart-empty]").TextContent);
        Assert.Contains("No calls in the last hour.", cut.Find("[data-testid=live-chart-empty]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=daily-chart] .cp-apexchart, [data-testid=daily-chart-chart]"));
        // The tables still have the zeros.
        await cut.Find("[data-testid=daily-chart-toggle]").ClickAsync(new());
        Assert.Equal("0", cut.Find("[data-testid=daily-table-totals] td[data-outcome=Total]").TextContent);
    }

    [Fact]
    public async Task A_zero_percent_success_rate_and_a_single_call_read_as_words()
    {
        var owner = await NewOwnerAsync("Acme");
        var (id, keys) = await NewApplicationAsync(owner, "Storefront");
        await SetQuotaAsync(id, 0, 0);
        Assert.Equal([103], await CallAsync(keys, 1));
        SignIn(owner);

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter(ApplicationId: id)));

        Assert.Equal("0% allowed (0 of 1 call)", cut.Find("[data-testid=success-rate]").TextContent.Trim());
        Assert.Contains("1 call", cut.Find("[data-testid=daily-chart]").TextContent);
        Assert.DoesNotContain("1 calls", cut.Markup);
        Assert.NotNull(cut.Find("[data-testid=outcome-chart-chart] .cp-apexchart"));
        Assert.Equal(["103 over quota"], SeriesOf(cut, "daily-chart"));
        await cut.Find("[data-testid=outcome-chart-toggle]").ClickAsync(new());
        Assert.Equal(["0", "0", "1", "0", "0", "0"], cut.FindAll("[data-testid=outcome-calls]").Select(c => c.TextContent));
    }

    [Fact]
    public async Task An_owner_asking_for_another_accounts_application_gets_not_found()
    {
        var other = await NewOwnerAsync("Globex");
        var (theirs, keys) = await NewApplicationAsync(other, "Secret app");
        await CallAsync(keys, 2);
        SignIn(await NewOwnerAsync("Acme"));

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter(ApplicationId: theirs)));

        Assert.NotNull(cut.Find("[data-testid=not-found]"));
        Assert.DoesNotContain("Secret app", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=quota-used]"));
    }

    [Theory]
    [InlineData("Support")]
    [InlineData("Admin")]
    public async Task Staff_see_every_accounts_applications_with_their_account_and_no_change_controls(string role)
    {
        var acme = await NewOwnerAsync("Acme");
        var (_, keys) = await NewApplicationAsync(acme, "Storefront");
        var globex = await NewOwnerAsync("Globex");
        await NewApplicationAsync(globex, "Backoffice");
        await CallAsync(keys, 2);
        SignIn(role == "Admin" ? Admin : await NewStaffAsync(role));

        var cut = Render<UsageDashboard>(p => p.Add(d => d.Filter, new UsageReports.Filter()));

        var panel = cut.Find("[data-testid=quota-gauge]").TextContent;
        Assert.Contains("Storefront · Acme", panel);
        Assert.Contains("Backoffice · Globex", panel);
        Assert.Equal("2", cut.Find("[data-testid=range-total]").TextContent);
        // Only views are buttons here: the chart/table toggles and the live chart's window.
        Assert.All(cut.FindAll("button"), b => Assert.True(b.GetAttribute("data-testid")?.EndsWith("-toggle") == true || b.Closest("[data-testid=live-window]") is not null));
    }
}
