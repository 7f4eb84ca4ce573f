using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Domain.Data;

public enum DatabaseProvider { Sqlite, PostgreSql }

/// <summary>The "Database" section of appsettings.json.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (embedded, the default) or PostgreSql (several instances).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For SQLite, a relative "Data Source" is taken from the working directory; its folder is created on start.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/controlpanel.db";
}
