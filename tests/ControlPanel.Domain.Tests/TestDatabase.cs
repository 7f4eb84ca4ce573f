using ControlPanel.Domain.Data;
using ControlPanel.Tests;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests;

/// <summary>
/// A throwaway database, deleted on dispose: a SQLite file in a temporary folder, or a fresh
/// PostgreSQL database on the server named by CONTROLPANEL_TEST_POSTGRES (test.sh starts one).
/// </summary>
public sealed class TestDatabase : IDisposable
{
    /// <summary>The providers database-facing tests run on: SQLite always, PostgreSQL when a server is given.</summary>
    public static TheoryData<DatabaseProvider> Providers =>
        TestPostgres.Server is null ? new() { DatabaseProvider.Sqlite } : new() { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql };

    private readonly string? _postgresDatabase;

    public TestDatabase(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        Provider = provider;
        if (provider == DatabaseProvider.PostgreSql)
        {
            _postgresDatabase = TestPostgres.CreateDatabase("cp_test");
        }
    }

    public DatabaseProvider Provider { get; }
    public string Folder { get; } = Directory.CreateTempSubdirectory("cp-test-").FullName;
    public string FilePath => Path.Combine(Folder, "controlpanel.db");

    public DatabaseOptions Options => Provider == DatabaseProvider.Sqlite
        ? new() { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={FilePath};Pooling=False" }
        : new() { Provider = DatabaseProvider.PostgreSql, ConnectionString = TestPostgres.ConnectionString(_postgresDatabase!, pooling: false) };

    public ControlPanelDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<ControlPanelDbContext>();
        DatabaseSetup.Configure(builder, Options);
        return new ControlPanelDbContext(builder.Options);
    }

    /// <summary>What the app's services are given: a factory of contexts on this database.</summary>
    public IDbContextFactory<ControlPanelDbContext> Factory => new ContextFactory(this);

    private sealed class ContextFactory(TestDatabase database) : IDbContextFactory<ControlPanelDbContext>
    {
        public ControlPanelDbContext CreateDbContext() => database.CreateContext();
    }

    public static async Task<TestDatabase> CreateMigratedAsync(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var database = new TestDatabase(provider);
        await using var db = database.CreateContext();
        await DatabaseSetup.MigrateAsync(db);
        return database;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        if (_postgresDatabase is not null) TestPostgres.DropDatabase(_postgresDatabase);
    }
}
