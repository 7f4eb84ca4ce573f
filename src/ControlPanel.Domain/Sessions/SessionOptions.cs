using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Domain.Sessions;

/// <summary>The "Sessions" section of appsettings.json.</summary>
public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>
    /// A session, its view changes and its activity are deleted this many days after it expired or was ended (hourly);
    /// its token answers 114 INVALID TOKEN a day after it expired whatever this says.
    /// </summary>
    [Range(1, 3650, ErrorMessage = "Sessions:ActivityRetentionDays must be from 1 to 3650.")]
    public int ActivityRetentionDays { get; set; } = 30;

    /// <summary>Sessions that ended, and activity, before this instant are deleted.</summary>
    public DateTime Cutoff(DateTime utcNow) => utcNow.AddDays(-ActivityRetentionDays);
}
