using ControlPanel.Domain.Accounts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ControlPanel.Domain.Tests.Data;

public class MigrationsTests
{
    [Fact]
    public async Task Migrations_build_the_same_schema_as_the_model()
    {
        using var migrated = await TestDatabase.CreateMigratedAsync();
        using var created = new TestDatabase();
        await using (var db = created.CreateContext())
            await db.Database.EnsureCreatedAsync();

        Assert.Equal(Describe(created.FilePath), Describe(migrated.FilePath));
    }

    [Fact]
    public async Task Upgrading_a_database_made_by_the_first_schema_version_keeps_its_data()
    {
        using var database = new TestDatabase();
        await using (var db = database.CreateContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            Assert.True(migrations.Count >= 2, "an upgrade needs at least two schema versions");
            await db.GetService<IMigrator>().MigrateAsync(migrations[0]);
        }
        var accountId = Guid.NewGuid();
        await using (var connection = new SqliteConnection($"Data Source={database.FilePath};Pooling=False"))
        {
            await connection.OpenAsync();
            var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO Accounts (Id, Name, CreatedAt, IsLocked) VALUES ($id, 'Acme', '2026-01-01 00:00:00', 0)";
            insert.Parameters.AddWithValue("$id", accountId.ToString().ToUpperInvariant());
            await insert.ExecuteNonQueryAsync();
        }

        await using (var db = database.CreateContext())
        {
            await ControlPanel.Domain.Data.DatabaseSetup.MigrateAsync(db);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var account = await db.Accounts.SingleAsync();
            Assert.Equal(accountId, account.Id);
            Assert.Equal("Acme", account.Name);
        }
    }

    /// <summary>Tables, columns (type, nullability, key) and indexes, as SQLite reports them.</summary>
    private static List<string> Describe(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        var lines = new List<string>();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%' ORDER BY name");
        foreach (var table in tables)
        {
            foreach (var column in Query(connection, $"SELECT name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{table}') ORDER BY name"))
                lines.Add($"{table}.{column}");
            foreach (var index in Query(connection, $"SELECT name || ' unique=' || \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c' ORDER BY name"))
                lines.Add($"{table} index {index}");
            foreach (var key in Query(connection, $"SELECT \"from\" || '->' || \"table\" || '.' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"from\""))
                lines.Add($"{table} fk {key}");
        }
        return lines;
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }
}
