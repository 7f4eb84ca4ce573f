using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests;

/// <summary>A throwaway SQLite database file, migrated like the app's, deleted on dispose.</summary>
public sealed class TestDatabase : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("cp-test-").FullName;
    public string FilePath => Path.Combine(Folder, "controlpanel.db");
    public DatabaseOptions Options => new() { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={FilePath};Pooling=False" };

    public ControlPanelDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<ControlPanelDbContext>();
        DatabaseSetup.Configure(builder, Options);
        return new ControlPanelDbContext(builder.Options);
    }

    /// <summary>What the app's services are given: a factory of contexts on this file.</summary>
    public IDbContextFactory<ControlPanelDbContext> Factory => new ContextFactory(this);

    private sealed class ContextFactory(TestDatabase database) : IDbContextFactory<ControlPanelDbContext>
    {
        public ControlPanelDbContext CreateDbContext() => database.CreateContext();
    }

    public static async Task<TestDatabase> CreateMigratedAsync()
    {
        var database = new TestDatabase();
        await using var db = database.CreateContext();
        await DatabaseSetup.MigrateAsync(db);
        return database;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
