using ControlPanel.Domain.Usage;
using ControlPanel.Web.Components.Layout;
using ControlPanel.Web.Components.Shared;
using MudBlazor;
using MudBlazor.Utilities;

namespace ControlPanel.Web.Components.Pages.Usage;

/// <summary>One category of a usage chart (a minute or a day): its calls by outcome and, for the month chart, the running count.</summary>
public sealed record UsagePoint(UsageCounts Counts, long MonthToDate = 0)
{
    public static UsagePoint From(UsageCounts counts, long monthToDate = 0) => new(counts, monthToDate);

    public DateTime Start => Counts.Start;
    public long Total => Counts.Total;
    public long Counted => Counts.Counted;
    public long this[UsageOutcome outcome] => Counts[outcome];

    /// <summary>The colour of each outcome, the same in every chart, taken from the theme's palette.</summary>
    public static string Colour(UsageOutcome outcome)
    {
        var palette = ControlPanelTheme.Theme.PaletteLight;
        return (outcome switch
        {
            UsageOutcome.Allowed => palette.Success,
            UsageOutcome.RateLimited => palette.Warning,
            UsageOutcome.OverQuota => palette.Error,
            UsageOutcome.BadOrigin => palette.Tertiary,
            UsageOutcome.BadKeys => palette.Primary,
            _ => palette.Secondary,
        }).ToString(MudColorOutputFormats.Hex);
    }
}

/// <summary>What every usage chart shares: a value axis at round numbers, few readable category labels, and plurals.</summary>
public static class UsageCharts
{
    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    /// <summary>A value axis from 0: a step of 1, 2 or 5 times a power of ten, and the top at a whole step above <paramref name="max"/>.</summary>
    public readonly record struct Axis(int Step, double Top);

    public static Axis ValueAxis(double max, int ticks = 4)
    {
        if (max <= ticks) return new Axis(1, Math.Max(1, Math.Ceiling(max)));
        var rough = max / ticks;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= rough);
        var whole = (int)Math.Min(int.MaxValue, Math.Round(step));
        return new Axis(whole, Math.Ceiling(max / whole) * whole);
    }

    /// <summary>Axis numbers: 12,500 as 12.5k and 3,000,000 as 3M, so large quotas fit.</summary>
    public static string Compact(double value) => Math.Abs(value) switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.##", Invariant) + "M",
        >= 1_000 => (value / 1_000).ToString("0.#", Invariant) + "k",
        _ => value.ToString("0", Invariant),
    };

    /// <summary>
    /// Category labels that do not overlap: at most <paramref name="most"/> of them, evenly spaced, the rest blank
    /// (a month's thirty labels, or an hour's sixty, do not fit under a chart).
    /// </summary>
    public static string[] SparseLabels(IReadOnlyList<DateTime> starts, string format, int most = 5)
    {
        var every = Math.Max(1, (int)Math.Ceiling(starts.Count / (double)most));
        return starts.Select((start, i) => i % every == 0 ? start.ToString(format, Invariant) : "").ToArray();
    }

    public static string Calls(long count) => Plural.Of(count, "call", "calls");
}
