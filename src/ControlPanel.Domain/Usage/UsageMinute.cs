namespace ControlPanel.Domain.Usage;

/// <summary>
/// How many check decisions fell into one UTC minute, per application, key pair, environment,
/// outcome and whether they count towards the quota. Written by <see cref="UsageMeter"/> in
/// batches (adding to the row), never per request.
/// </summary>
public class UsageMinute : IUsageRow
{
    /// <summary><see cref="Guid.Empty"/> when the keys matched no application.</summary>
    public Guid ApplicationId { get; set; }
    /// <summary>The start of the minute, UTC.</summary>
    public DateTime Minute { get; set; }
    /// <summary><see cref="Guid.Empty"/> when the keys matched no pair.</summary>
    public Guid KeyPairId { get; set; }
    /// <summary>Development, Staging or Live; empty when the application is unknown.</summary>
    public string Environment { get; set; } = "";
    /// <summary>0 for an allowed call, otherwise the error code answered.</summary>
    public int Outcome { get; set; }
    public bool Counted { get; set; }
    public long Calls { get; set; }
}
