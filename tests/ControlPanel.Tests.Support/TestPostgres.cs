using Npgsql;

namespace ControlPanel.Tests;

/// <summary>
/// The PostgreSQL server the tests may use, named by CONTROLPANEL_TEST_POSTGRES (test.sh starts a
/// throwaway one and sets it), and throwaway databases on it. Shared by the three test projects.
/// </summary>
public static class TestPostgres
{
    /// <summary>The server's connection string, or null when none is given (the tests then run on SQLite only).</summary>
    public static string? Server => Environment.GetEnvironmentVariable("CONTROLPANEL_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>Creates an empty database named <paramref name="prefix"/>_{guid}; returns its name.</summary>
    public static string CreateDatabase(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE \"{name}\"");
        return name;
    }

    /// <summary>Drops a database, closing the connections still open on it.</summary>
    public static void DropDatabase(string name) => Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    /// <summary>A connection string for <paramref name="database"/> on the server.</summary>
    public static string ConnectionString(string database, bool pooling = true) =>
        new NpgsqlConnectionStringBuilder(RequiredServer) { Database = database, Pooling = pooling }.ConnectionString;

    private static string RequiredServer => Server
        ?? throw new InvalidOperationException("CONTROLPANEL_TEST_POSTGRES is not set: run ./test.sh, which starts a throwaway PostgreSQL.");

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(RequiredServer);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
