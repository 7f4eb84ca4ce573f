using ControlPanel.Domain.Usage;
using ControlPanel.Web.Components.Pages.Usage;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Tests.Usage;

public sealed class ChartPartsTests : ComponentTest
{
    private static RenderFragment Text(string text) => b => b.AddContent(0, text);

    [Fact]
    public async Task Show_as_table_swaps_the_chart_for_its_table_and_back()
    {
        var panel = Render<ChartPanel>(p => p
            .Add(c => c.Title, "Calls").Add(c => c.TestId, "calls")
            .Add(c => c.Chart, Text("the chart")).Add(c => c.Table, Text("the table")));

        Assert.Contains("the chart", panel.Find("[data-testid=calls-chart]").TextContent);
        var toggle = panel.Find("[data-testid=calls-toggle]");
        Assert.Equal("false", toggle.GetAttribute("aria-pressed"));
        Assert.Contains("Show as table", toggle.TextContent);

        await toggle.ClickAsync(new());

        Assert.Contains("the table", panel.Find("[data-testid=calls-table-view]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=calls-chart]"));
        Assert.Equal("true", panel.Find("[data-testid=calls-toggle]").GetAttribute("aria-pressed"));
        Assert.Contains("Show as chart", panel.Find("[data-testid=calls-toggle]").TextContent);

        await panel.Find("[data-testid=calls-toggle]").ClickAsync(new());
        Assert.NotNull(panel.Find("[data-testid=calls-chart]"));
    }

    [Fact]
    public async Task An_empty_chart_says_so_and_its_table_is_still_there()
    {
        var panel = Render<ChartPanel>(p => p
            .Add(c => c.Title, "Calls").Add(c => c.TestId, "calls").Add(c => c.IsEmpty, true).Add(c => c.EmptyText, "Nothing yet.")
            .Add(c => c.Chart, Text("the chart")).Add(c => c.Table, Text("the table")));

        Assert.Equal("Nothing yet.", panel.Find("[data-testid=calls-empty]").TextContent.Trim());
        Assert.DoesNotContain("the chart", panel.Markup);
        await panel.Find("[data-testid=calls-toggle]").ClickAsync(new());
        Assert.Contains("the table", panel.Markup);
    }

    [Fact]
    public void The_quota_table_shows_each_applications_numbers_and_marks_those_over_quota()
    {
        UsageReports.ApplicationQuota Quota(string name, long quota, long allowance, long used) => new(
            Guid.NewGuid(), name, Guid.NewGuid(), "Acme", false, Domain.Applications.ApplicationEnvironment.Live, true, quota, allowance, used, 4, 2, used * 2);

        var table = Render<QuotaTable>(p => p.Add(t => t.Applications, [Quota("Full", 1_000, 100, 1_050), Quota("Light", 2_000_000, 0, 500_000)]).Add(t => t.ShowAccount, true));

        Assert.Equal(["1,050", "500,000"], table.FindAll("[data-testid=quota-row-used]").Select(c => c.TextContent));
        Assert.Equal(["1,000", "2,000,000"], table.FindAll("[data-testid=quota-row-quota]").Select(c => c.TextContent));
        var percents = table.FindAll("[data-testid=quota-row-percent]").Select(c => c.TextContent).ToList();
        Assert.Contains("105%", percents[0]);
        Assert.Contains("over quota", percents[0]);
        Assert.Equal("25%", percents[1].Trim());
    }

    [Fact]
    public void The_outcome_table_has_a_row_per_day_by_outcome_and_the_totals()
    {
        var day = new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc);
        var counts = new UsageCounts(day, [7, 2, 1, 0, 3, 0], counted: 7);

        var table = Render<OutcomeTable>(p => p
            .Add(t => t.Caption, "Calls").Add(t => t.FirstColumn, "Day").Add(t => t.RowFormat, "yyyy-MM-dd").Add(t => t.TestId, "days")
            .Add(t => t.Points, [UsagePoint.From(counts)]).Add(t => t.Totals, counts));

        var row = table.Find("[data-testid=days-row][data-start='2026-11-03']");
        Assert.Equal(["7", "2", "1", "0", "3", "0", "13"], row.QuerySelectorAll("td").Select(c => c.TextContent));
        Assert.Equal("13", table.Find("[data-testid=days-totals] td[data-outcome=Total]").TextContent);
    }

    [Fact]
    public void Counts_have_plurals()
    {
        Assert.Equal("1 call", UsageCharts.Calls(1));
        Assert.Equal("2 calls", UsageCharts.Calls(2));
    }
}
