using ControlPanel.Domain.Usage;

namespace ControlPanel.Web.Components.Pages.Usage;

/// <summary>One category of a usage chart (a minute or a day), labelled for the axis; the chart reads these properties by name.</summary>
public sealed record UsagePoint(
    string Label, DateTime Start, double Allowed, double RateLimited, double OverQuota, double BadOrigin, double BadKeys, double Other,
    double Total, double Counted, double MonthToDate)
{
    public static UsagePoint From(UsageCounts counts, string format, double monthToDate = 0) => new(
        counts.Start.ToString(format, System.Globalization.CultureInfo.InvariantCulture), counts.Start,
        counts.Allowed, counts.RateLimited, counts.OverQuota, counts.BadOrigin, counts.BadKeys, counts.Other,
        counts.Total, counts.Counted, monthToDate);

    /// <summary>The colour of each outcome, the same in every chart.</summary>
    public static string Colour(UsageOutcome outcome) => outcome switch
    {
        UsageOutcome.Allowed => "#2e7d32",
        UsageOutcome.RateLimited => "#f9a825",
        UsageOutcome.OverQuota => "#c62828",
        UsageOutcome.BadOrigin => "#6a1b9a",
        UsageOutcome.BadKeys => "#455a64",
        _ => "#90a4ae",
    };
}
