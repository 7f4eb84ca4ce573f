namespace ControlPanel.Domain.Usage;

/// <summary>
/// Check decisions per UTC day, per application, environment, resource and outcome: the rollup the usage pages split calls
/// and refusals by resource from. A table of its own, so the other rollups (and their reports) stay as small as before.
/// Added to in the same flush and transaction as <see cref="UsageDay"/>.
/// </summary>
public class UsageResourceDay : IUsageRow
{
    /// <summary><see cref="Guid.Empty"/> when the keys matched no application.</summary>
    public Guid ApplicationId { get; set; }
    public DateOnly Day { get; set; }
    /// <summary>Development, Staging or Live; empty when the application is unknown.</summary>
    public string Environment { get; set; } = "";
    /// <summary>The catalogue's resource the calls were (<see cref="Resources.Resource.DefaultId"/> for calls that named none).</summary>
    public Guid ResourceId { get; set; }
    /// <summary>0 for an allowed call, otherwise the error code answered.</summary>
    public int Outcome { get; set; }
    public long Calls { get; set; }
}
