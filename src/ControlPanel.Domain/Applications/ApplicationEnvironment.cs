namespace ControlPanel.Domain.Applications;

/// <summary>The environment an application's keys are issued for; rate limits differ per environment.</summary>
public enum ApplicationEnvironment
{
    Development,
    Staging,
    Live,
}
