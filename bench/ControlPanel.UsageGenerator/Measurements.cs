using System.Diagnostics;
using System.Globalization;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Usage;

namespace ControlPanel.UsageGenerator;

/// <summary>Times what the usage page, the application's Usage tab and the admin overview ask the domain for.</summary>
public sealed class Measurements(UsageReports reports, GeneratorOptions options)
{
    public sealed record Result(string What, double MedianMs, double P95Ms, double MaxMs);

    public async Task<List<Result>> RunAsync(Viewer owner, Guid busyApplication)
    {
        var support = new Viewer("bench-support", "Bench Support", Roles.Support, null);
        var admin = new Viewer("bench-admin", "Bench Admin", Roles.Admin, null);
        var thisMonth = new UsageReports.Filter();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var year = new UsageReports.Filter(From: today.AddDays(-364), To: today);
        var byTotal = new UsageReports.HistorySort(UsageReports.HistoryColumn.Total, Descending: true);

        // What one page load asks for, in the order the components ask.
        async Task UsagePage(Viewer viewer, UsageReports.Filter filter)
        {
            await reports.QuotaMonthAsync(viewer, filter with { From = null, To = null });
            await reports.DailyAsync(viewer, filter with { From = null, To = null });
            await reports.LastHourAsync(viewer, filter);
            await reports.DailyAsync(viewer, filter);
            await reports.HistoryAsync(viewer, filter, new(), 0, 20);
        }

        var accountFilter = new UsageReports.Filter(AccountId: owner.AccountId);
        var applicationFilter = new UsageReports.Filter(ApplicationId: busyApplication);
        return
        [
            await TimeAsync("Owner: usage page, this month (whole page)", () => UsagePage(owner, thisMonth)),
            await TimeAsync("Owner: application Usage tab (busiest application)", () => UsagePage(owner, applicationFilter)),
            await TimeAsync("Owner: live refresh (last hour + quota)", async () => { await reports.LastHourAsync(owner, thisMonth); await reports.QuotaMonthAsync(owner, thisMonth); }),
            await TimeAsync("Owner: usage page, last 365 days", () => UsagePage(owner, year)),
            await TimeAsync("Support: usage page, all accounts, this month", () => UsagePage(support, thisMonth)),
            await TimeAsync("  of which: quota by application, all accounts", () => reports.QuotaMonthAsync(support, thisMonth)),
            await TimeAsync("  of which: calls per day, all accounts", () => reports.DailyAsync(support, thisMonth)),
            await TimeAsync("  of which: last hour, all accounts", () => reports.LastHourAsync(support, thisMonth)),
            await TimeAsync("  of which: history page 1, all accounts", () => reports.HistoryAsync(support, thisMonth, new(), 0, 20)),
            await TimeAsync("Support: one account, last 365 days", () => UsagePage(support, accountFilter with { From = year.From, To = year.To })),
            await TimeAsync("Support: history of all accounts, 365 days, sorted by total", () => reports.HistoryAsync(support, year, byTotal, 0, 20)),
            await TimeAsync("Admin: quota overview", () => reports.OverviewAsync(admin)),
        ];
    }

    private async Task<Result> TimeAsync(string what, Func<Task> query)
    {
        for (var i = 0; i < 3; i++) await query();
        var times = new List<double>();
        for (var i = 0; i < options.Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await query();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var result = new Result(what, Percentile(times, 0.5), Percentile(times, 0.95), times[^1]);
        Console.WriteLine($"  {what}: median {result.MedianMs:0.0} ms, p95 {result.P95Ms:0.0} ms");
        return result;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public static string Markdown(IEnumerable<Result> results) =>
        "| query | median ms | p95 ms | max ms |\n|---|---:|---:|---:|\n" +
        string.Join("\n", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"| {r.What} | {r.MedianMs:0.0} | {r.P95Ms:0.0} | {r.MaxMs:0.0} |")));
}
