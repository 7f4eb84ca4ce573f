namespace ControlPanel.Domain.Usage;

/// <summary>
/// Check decisions per UTC day, per application, environment, outcome and whether they count
/// towards the quota: the rollup that history charts, tables and the admin overview read, so no
/// report ever scans minute rows older than the last hour. Added to in the same flush (and the
/// same transaction) as <see cref="UsageMinute"/>, so the two never disagree.
/// </summary>
public class UsageDay : IUsageRow
{
    /// <summary><see cref="Guid.Empty"/> when the keys matched no application.</summary>
    public Guid ApplicationId { get; set; }
    /// <summary>The UTC calendar day.</summary>
    public DateOnly Day { get; set; }
    /// <summary>Development, Staging or Live; empty when the application is unknown.</summary>
    public string Environment { get; set; } = "";
    /// <summary>0 for an allowed call, otherwise the error code answered.</summary>
    public int Outcome { get; set; }
    public bool Counted { get; set; }
    public long Calls { get; set; }
}
