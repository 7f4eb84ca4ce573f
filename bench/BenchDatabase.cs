using ControlPanel.Domain.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Benchmarks;

/// <summary>
/// The database a benchmark fills: contexts configured exactly as the app configures them, and a
/// fresh start. Shared by the bench programs (linked into each project).
/// </summary>
sealed class BenchDatabase(DatabaseOptions options) : IDbContextFactory<ControlPanelDbContext>
{
    public ControlPanelDbContext CreateDbContext()
    {
        var builder = new DbContextOptionsBuilder<ControlPanelDbContext>();
        DatabaseSetup.Configure(builder, options);
        return new ControlPanelDbContext(builder.Options);
    }

    /// <summary>Deletes the database (the SQLite file with its journal, or the PostgreSQL database) and migrates a new one.</summary>
    public async Task RecreateAsync()
    {
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
        }
        else
        {
            await using var db = CreateDbContext();
            await db.Database.EnsureDeletedAsync();
        }
        await using (var db = CreateDbContext())
            await DatabaseSetup.MigrateAsync(db);
    }
}
