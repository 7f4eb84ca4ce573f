namespace ControlPanel.Domain.Usage;

/// <summary>What every stored usage row has, so reports narrow minute, day and history rows to a viewer's scope one way.</summary>
public interface IUsageRow
{
    /// <summary><see cref="Guid.Empty"/> when the keys matched no application.</summary>
    Guid ApplicationId { get; }
    /// <summary>Development, Staging or Live; empty when the application is unknown.</summary>
    string Environment { get; }
}
