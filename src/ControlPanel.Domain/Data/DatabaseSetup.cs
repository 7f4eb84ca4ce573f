using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlPanel.Domain.Data;

/// <summary>Provider choice and schema upgrades: the only place that knows which database is in use.</summary>
public static class DatabaseSetup
{
    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(options.ConnectionString);
                break;
            case DatabaseProvider.PostgreSql:
                builder.UseNpgsql(options.ConnectionString);
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {options.Provider}.");
        }
        // The model snapshot records the SQLite model (dotnet ef's design-time provider), so on PostgreSQL this check would
        // always see changes (other column types), and the older migrations have no target models. MigrationsTests checks
        // instead: the migrations build the model's schema on both providers, and the snapshot equals the model.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>
    /// Runs <paramref name="work"/> (schema upgrade, first Admin) on one starting instance at a time:
    /// instances sharing a PostgreSQL database wait on an advisory lock; SQLite has one instance.
    /// </summary>
    public static async Task RunStartupExclusiveAsync(DatabaseOptions options, Func<Task> work, CancellationToken cancellationToken = default)
    {
        if (options.Provider != DatabaseProvider.PostgreSql)
        {
            await work();
            return;
        }
        await using var connection = new Npgsql.NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({StartupLockId})", connection))
            await take.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            await work();
        }
        finally
        {
            // Closing the connection releases the lock as well, should the unlock fail.
            await using var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({StartupLockId})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> while no other instance runs its start-up or another exclusive step (the same
    /// advisory lock on PostgreSQL; on SQLite, the one instance, a lock in this process): for a check-then-write that
    /// must be atomic across instances, such as "no Admin exists yet, create one".
    /// </summary>
    public static async Task RunExclusiveAsync(DatabaseOptions options, Func<Task> work, CancellationToken cancellationToken = default)
    {
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            await RunStartupExclusiveAsync(options, work, cancellationToken);
            return;
        }
        await ProcessGate.WaitAsync(cancellationToken);
        try { await work(); }
        finally { ProcessGate.Release(); }
    }

    private static readonly SemaphoreSlim ProcessGate = new(1, 1);

    /// <summary>An arbitrary number naming ControlPanel's start-up lock among the database's advisory locks.</summary>
    private const long StartupLockId = 0x436F6E74726F6C; // "Control"

    /// <summary>Creates the SQLite file's folder, then applies every migration not yet applied. Existing data is kept.</summary>
    public static async Task MigrateAsync(ControlPanelDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
        {
            var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }
        await db.Database.MigrateAsync(cancellationToken);
    }
}
