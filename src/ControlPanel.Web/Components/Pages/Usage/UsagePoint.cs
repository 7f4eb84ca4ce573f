using ControlPanel.Domain.Usage;
using ControlPanel.Web.Components.Charts;
using ControlPanel.Web.Components.Shared;

namespace ControlPanel.Web.Components.Pages.Usage;

/// <summary>One category of a usage chart (a minute or a day): its calls by outcome and, for the month chart, the running count.</summary>
public sealed record UsagePoint(UsageCounts Counts, long MonthToDate = 0)
{
    public static UsagePoint From(UsageCounts counts, long monthToDate = 0) => new(counts, monthToDate);

    public DateTime Start => Counts.Start;
    public long Total => Counts.Total;
    public long Counted => Counts.Counted;
    public long this[UsageOutcome outcome] => Counts[outcome];
}

/// <summary>What every usage chart shares: series by outcome, and plurals.</summary>
public static class UsageCharts
{
    /// <summary>Stacked bars by outcome on a time axis; outcomes that never happened stay out of the legend (the table lists them all).</summary>
    public static IReadOnlyList<ApexSeries> OutcomeSeries(IReadOnlyList<UsagePoint> points) =>
        UsageOutcomes.All.Where(o => points.Any(p => p[o] > 0)).DefaultIfEmpty(UsageOutcome.Allowed)
            .Select(o => new ApexSeries(o.Label(), points.Select(p => ApexPoint.At(p.Start, p[o])).ToList(), ChartPalette.Of(o)))
            .ToList();

    /// <summary>What one bar stands for: "minute", "10 minutes", "hour", "day".</summary>
    public static string UnitName(TimeSpan bucket) => bucket switch
    {
        { TotalDays: >= 1 } => "day",
        { TotalHours: >= 1 } => "hour",
        { TotalMinutes: 1 } => "minute",
        _ => $"{bucket.TotalMinutes:0} minutes",
    };

    /// <summary>Stacked outcome bars over a period, titled with its unit; the tooltip names the bar's start.</summary>
    public static object TimeOptions(UsagePeriod period)
    {
        var unit = UnitName(period.Bucket);
        return ApexOptions.Time($"{(period.Bucket.TotalDays >= 1 ? "Day" : "Time")} (UTC)", $"Calls per {unit}",
            period.Bucket.TotalDays >= 1 ? ApexOptions.TimeUnit.Day : ApexOptions.TimeUnit.Minute);
    }

    public static string Calls(long count) => Plural.Of(count, "call", "calls");
}
