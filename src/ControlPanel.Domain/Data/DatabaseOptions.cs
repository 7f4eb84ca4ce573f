using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;

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

    /// <summary>
    /// How often an instance reads the change log for other instances' changes. On PostgreSQL a
    /// NOTIFY wakes it at once and this is the fallback; keep it under a second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:05", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Where files kept with the data go (mail written as .eml, keys of old versions): the SQLite file's folder, or ./data with PostgreSQL.</summary>
    public string DataFolder() =>
        Provider == DatabaseProvider.Sqlite
            ? Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource)) ?? Path.GetFullPath("data")
            : Path.GetFullPath("data");
}
