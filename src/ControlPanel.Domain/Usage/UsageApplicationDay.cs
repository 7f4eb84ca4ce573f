namespace ControlPanel.Domain.Usage;

/// <summary>
/// Calls per application, environment and UTC day, already broken down by <see cref="UsageOutcome"/>: one row of the history
/// table as stored. <see cref="UsageDay"/> keeps every outcome code; this rollup lets the history of every account over a
/// year be counted, sorted and paged without folding the day rows again on each page. Added to in the same flush and
/// transaction as the day rows, so the two never disagree.
/// </summary>
public class UsageApplicationDay : IUsageRow
{
    /// <summary><see cref="Guid.Empty"/> when the keys matched no application.</summary>
    public Guid ApplicationId { get; set; }
    public DateOnly Day { get; set; }
    public string Environment { get; set; } = "";
    public long Allowed { get; set; }
    public long RateLimited { get; set; }
    public long OverQuota { get; set; }
    public long BadOrigin { get; set; }
    public long BadKeys { get; set; }
    public long Other { get; set; }
    public long Total { get; set; }
    /// <summary>Allowed calls that count towards the monthly quota.</summary>
    public long Counted { get; set; }

    /// <summary>
    /// Fills the (empty) table from the day rows in one statement, for tools that write day rows in bulk (the usage
    /// generator); the usage meter adds to both as it flushes.
    /// </summary>
    public static string FoldDaysSql { get; } = FoldDays();

    private static string FoldDays()
    {
        var codes = string.Join(", ", UsageOutcomes.Coded.Select(d => d.Code));
        // Each outcome's calls: those of its code, or for the outcome without one, those of every code no other has.
        var outcomes = UsageOutcomes.Definitions.Select(d => d.Code is { } code
            ? $"SUM(CASE WHEN \"Outcome\" = {code} THEN \"Calls\" ELSE 0 END)"
            : $"SUM(CASE WHEN \"Outcome\" NOT IN ({codes}) THEN \"Calls\" ELSE 0 END)");
        var allowed = UsageOutcomes.CodeOf(UsageOutcome.Allowed);
        return $"""
            INSERT INTO "UsageApplicationDays"
                ("ApplicationId", "Day", "Environment", {string.Join(", ", UsageOutcomes.Definitions.Select(d => $"\"{d.Column}\""))}, "Total", "Counted")
            SELECT "ApplicationId", "Day", "Environment",
                {string.Join(",\n    ", outcomes)},
                SUM("Calls"),
                SUM(CASE WHEN "Outcome" = {allowed} AND "Counted" THEN "Calls" ELSE 0 END)
            FROM "UsageDays"
            GROUP BY "ApplicationId", "Day", "Environment"
            """;
    }
}
