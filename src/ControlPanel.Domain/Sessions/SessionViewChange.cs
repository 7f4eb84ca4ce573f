namespace ControlPanel.Domain.Sessions;

/// <summary>A session's change of view (PUT /api/v1/session/view), kept with its activity.</summary>
public class SessionViewChange
{
    public long Id { get; set; }
    public Guid SessionId { get; set; }
    public DateTime At { get; set; }
    public string FromView { get; set; } = "";
    public string ToView { get; set; } = "";
}
