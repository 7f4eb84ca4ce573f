namespace ControlPanel.Domain.Sessions;

/// <summary>
/// How many calls of one session fell into one UTC minute, per resource and outcome. Written by
/// <see cref="SessionActivityMeter"/> in batches (adding to the row), never per call.
/// </summary>
public class SessionActivityMinute
{
    public Guid SessionId { get; set; }
    /// <summary>The start of the minute, UTC.</summary>
    public DateTime Minute { get; set; }
    /// <summary>The catalogue's resource (<see cref="Resources.Resource.SessionManagementId"/> for changing the view).</summary>
    public Guid ResourceId { get; set; }
    /// <summary>0 for an allowed call, otherwise the error code answered.</summary>
    public int Outcome { get; set; }
    public long Calls { get; set; }
}
