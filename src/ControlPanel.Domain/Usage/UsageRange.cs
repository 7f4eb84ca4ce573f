namespace ControlPanel.Domain.Usage;

/// <summary>The ranges the usage page offers; <see cref="UsageRanges.Default"/> is the last 30 days.</summary>
public enum UsageRangePreset { LastHour, Last24Hours, Last7Days, Last30Days, ThisMonth, LastMonth, Custom }

/// <summary>The live chart's windows: the last hour by minute, six hours by ten minutes, a day by hour.</summary>
public enum UsageLiveWindow { OneHour, SixHours, OneDay }

/// <summary>
/// A stretch of time a chart shows and the size of its bars: minutes for the last hour, hours for the last day, days for
/// longer ranges. <see cref="FirstDay"/> and <see cref="LastDay"/> are the UTC days it touches (the history table's rows).
/// </summary>
public sealed record UsagePeriod(UsageRangePreset Preset, DateTime Start, TimeSpan Bucket, int Buckets)
{
    public DateTime End => Start + Bucket * Buckets;
    public DateOnly FirstDay => DateOnly.FromDateTime(Start);
    public DateOnly LastDay => DateOnly.FromDateTime(End.AddTicks(-1));
    public UsageReports.DateRange Days => new(FirstDay, LastDay);
}

/// <summary>Names, URL values and the arithmetic of the range presets and live windows; the clock decides "now".</summary>
public static class UsageRanges
{
    public const UsageRangePreset Default = UsageRangePreset.Last30Days;
    public const UsageLiveWindow DefaultLiveWindow = UsageLiveWindow.OneHour;

    public static IReadOnlyList<UsageRangePreset> Presets { get; } = Enum.GetValues<UsageRangePreset>();
    public static IReadOnlyList<UsageLiveWindow> LiveWindows { get; } = Enum.GetValues<UsageLiveWindow>();

    public static string Label(this UsageRangePreset preset) => preset switch
    {
        UsageRangePreset.LastHour => "Last hour",
        UsageRangePreset.Last24Hours => "Last 24 hours",
        UsageRangePreset.Last7Days => "Last 7 days",
        UsageRangePreset.Last30Days => "Last 30 days",
        UsageRangePreset.ThisMonth => "This month",
        UsageRangePreset.LastMonth => "Last month",
        _ => "Custom",
    };

    /// <summary>The preset's value in a URL (?range=7d).</summary>
    public static string Slug(this UsageRangePreset preset) => preset switch
    {
        UsageRangePreset.LastHour => "1h",
        UsageRangePreset.Last24Hours => "24h",
        UsageRangePreset.Last7Days => "7d",
        UsageRangePreset.Last30Days => "30d",
        UsageRangePreset.ThisMonth => "this-month",
        UsageRangePreset.LastMonth => "last-month",
        _ => "custom",
    };

    /// <summary>The preset a URL names, or null for anything else (the page then uses the default).</summary>
    public static UsageRangePreset? ParsePreset(string? slug) => Presets.Cast<UsageRangePreset?>().FirstOrDefault(p => p!.Value.Slug() == slug);

    public static string Label(this UsageLiveWindow window) => window switch
    {
        UsageLiveWindow.SixHours => "6 h",
        UsageLiveWindow.OneDay => "24 h",
        _ => "1 h",
    };

    /// <summary>The window in words, after "last": "hour", "6 hours", "24 hours".</summary>
    public static string Description(this UsageLiveWindow window) => window switch
    {
        UsageLiveWindow.SixHours => "6 hours",
        UsageLiveWindow.OneDay => "24 hours",
        _ => "hour",
    };

    public static string Slug(this UsageLiveWindow window) => window switch
    {
        UsageLiveWindow.SixHours => "6h",
        UsageLiveWindow.OneDay => "24h",
        _ => "1h",
    };

    public static UsageLiveWindow? ParseLiveWindow(string? slug) => LiveWindows.Cast<UsageLiveWindow?>().FirstOrDefault(w => w!.Value.Slug() == slug);

    /// <summary>
    /// The live window up to and including the current bucket: 60 minutes, 36 ten-minute bars, 24 hours (few enough
    /// bars to read on a phone).
    /// </summary>
    public static UsagePeriod Live(UsageLiveWindow window, DateTime utcNow)
    {
        var (bucket, count) = window switch
        {
            UsageLiveWindow.SixHours => (TimeSpan.FromMinutes(10), 36),
            UsageLiveWindow.OneDay => (TimeSpan.FromHours(1), 24),
            _ => (TimeSpan.FromMinutes(1), 60),
        };
        return Recent(UsageRangePreset.Custom, utcNow, bucket, count);
    }

    /// <summary>
    /// The period a preset covers at <paramref name="utcNow"/>; days are UTC and whole, and today is the last day of
    /// every day-based preset. Custom takes <paramref name="from"/>..<paramref name="to"/> (checked by the caller).
    /// </summary>
    public static UsagePeriod Resolve(UsageRangePreset preset, DateTime utcNow, DateOnly? from = null, DateOnly? to = null)
    {
        var today = DateOnly.FromDateTime(utcNow);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        return preset switch
        {
            UsageRangePreset.LastHour => Recent(preset, utcNow, TimeSpan.FromMinutes(1), 60),
            UsageRangePreset.Last24Hours => Recent(preset, utcNow, TimeSpan.FromHours(1), 24),
            UsageRangePreset.Last7Days => DaysOf(preset, today.AddDays(-6), today),
            UsageRangePreset.Last30Days => DaysOf(preset, today.AddDays(-29), today),
            UsageRangePreset.ThisMonth => DaysOf(preset, monthStart, today),
            UsageRangePreset.LastMonth => DaysOf(preset, monthStart.AddMonths(-1), monthStart.AddDays(-1)),
            _ => DaysOf(preset, from ?? today.AddDays(-29), to ?? today),
        };
    }

    private static UsagePeriod Recent(UsageRangePreset preset, DateTime utcNow, TimeSpan bucket, int count)
    {
        var current = new DateTime(utcNow.Ticks - utcNow.Ticks % bucket.Ticks, DateTimeKind.Utc);
        return new UsagePeriod(preset, current - bucket * (count - 1), bucket, count);
    }

    private static UsagePeriod DaysOf(UsageRangePreset preset, DateOnly from, DateOnly to) =>
        new(preset, from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), TimeSpan.FromDays(1), Math.Max(0, to.DayNumber - from.DayNumber + 1));
}
