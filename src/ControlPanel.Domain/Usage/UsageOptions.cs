using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Domain.Usage;

/// <summary>The "Usage" section of appsettings.json: how long usage is kept at each resolution.</summary>
public sealed class UsageOptions
{
    public const string Section = "Usage";

    /// <summary>Per-minute rows older than this are deleted (hourly). The last-hour chart needs one day; the default keeps a month and a bit.</summary>
    [Range(1, 3650, ErrorMessage = "Usage:MinuteRetentionDays must be from 1 to 3650.")]
    public int MinuteRetentionDays { get; set; } = 35;

    /// <summary>Per-day rows older than this are deleted (hourly); also the longest date range a report may ask for.</summary>
    [Range(31, 36500, ErrorMessage = "Usage:DayRetentionDays must be from 31 to 36500.")]
    public int DayRetentionDays { get; set; } = 400;

    /// <summary>The oldest UTC day whose per-day usage is still kept.</summary>
    public DateOnly OldestDayKept(DateOnly today) => today.AddDays(1 - DayRetentionDays);

    /// <summary>Per-minute rows before this instant are deleted.</summary>
    public DateTime MinuteCutoff(DateTime utcNow) => utcNow.AddDays(-MinuteRetentionDays);
}
