using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Domain.Audit;

/// <summary>The "Audit" section of appsettings.json.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Entries older than this many days are deleted; 0 (the default) keeps the audit log forever.</summary>
    [Range(0, 36500, ErrorMessage = "Audit:RetentionDays must be from 0 (keep forever) to 36500.")]
    public int RetentionDays { get; set; }
}
