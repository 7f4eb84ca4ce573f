using System.Data.Common;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Idempotency;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Domain.Tests.Data;

public class MigrationsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrations_build_the_same_schema_as_the_model(DatabaseProvider provider)
    {
        using var migrated = await TestDatabase.CreateMigratedAsync(provider);
        using var created = new TestDatabase(provider);
        await using (var db = created.CreateContext())
            await db.Database.EnsureCreatedAsync();

        Assert.Equal(await DescribeAsync(created), await DescribeAsync(migrated));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_a_database_made_by_the_first_schema_version_keeps_its_data(DatabaseProvider provider)
    {
        using var database = new TestDatabase(provider);
        await using (var db = database.CreateContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            Assert.True(migrations.Count >= 2, "an upgrade needs at least two schema versions");
            await db.GetService<IMigrator>().MigrateAsync(migrations[0]);
            // Only the Accounts table is touched, which the first version already has.
            await AddAccountAsync(db, provider, Guid.NewGuid(), "Acme", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        await using (var db = database.CreateContext())
        {
            Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
            await DatabaseSetup.MigrateAsync(db);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var account = await db.Accounts.SingleAsync();
            Assert.Equal("Acme", account.Name);
            Assert.Empty(await db.Applications.ToListAsync());
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_to_view_lists_lists_each_applications_default_view_and_the_views_its_sessions_are_on(DatabaseProvider provider)
    {
        using var database = new TestDatabase(provider);
        var at = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
        var applicationId = Guid.NewGuid();
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261201005100_WebhookVerificationSecret");
            var accountId = Guid.NewGuid();
            await AddAccountAsync(db, provider, accountId, "Acme", at);
            // As that schema had them: the model's later columns (a deleted application's) are not there yet.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Applications" ("Id", "AccountId", "Name", "Environment", "IsOnline", "SuspendedByAdmin", "DefaultView", "CreatedAt", "CreatedBy",
                    "AllowedOrigins", "AllowlistRequiresBoth", "QuotaOverrunAllowance")
                VALUES ({Id(provider, applicationId)}, {Id(provider, accountId)}, {"Storefront"}, {nameof(ApplicationEnvironment.Development)}, {true}, {false},
                    {"catalogue"}, {at}, {"Olivia"}, {""}, {false}, {0L})
                """);
            foreach (var view in new[] { "support desk", "support desk", "catalogue" })
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "Sessions" ("Id", "ApplicationId", "KeyPairId", "TokenHash", "View", "CreatedAt", "ExpiresAt")
                    VALUES ({Guid.NewGuid()}, {applicationId}, {Guid.NewGuid()}, {Guid.NewGuid().ToString("N")}, {view}, {at}, {at.AddHours(2)})
                    """);
        }

        await using (var db = database.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
            var views = await db.ApplicationViews.Where(v => v.ApplicationId == applicationId).OrderBy(v => v.Name).ToListAsync();
            Assert.Equal(["catalogue", "support desk"], views.Select(v => v.Name));
            Assert.Equal("Olivia", views[0].CreatedBy);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_to_members_makes_each_accounts_user_its_Owner_and_keeps_their_tokens_working(DatabaseProvider provider)
    {
        using var database = new TestDatabase(provider);
        var at = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        var accountId = Guid.NewGuid();
        var tokenId = Guid.NewGuid();
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261207040100_WebhookCatalogueAndReplays");
            await AddAccountAsync(db, provider, accountId, "Acme", at);
            db.Users.Add(new ControlPanelUser { Id = "owner-id", UserName = "olive@acme.test", Email = "olive@acme.test", AccountId = accountId, CreatedAt = at });
            db.Users.Add(new ControlPanelUser { Id = "admin-id", UserName = "ada@staff.test", Email = "ada@staff.test", CreatedAt = at });
            await db.SaveChangesAsync();
            // The table as it was: no account column yet.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "AccessTokens" ("Id", "UserId", "Name", "Scope", "TokenHash", "Last4", "CreatedAt")
                VALUES ({Id(provider, tokenId)}, {"owner-id"}, {"ci"}, {"ReadWrite"}, {new string('a', 64)}, {"aaaa"}, {at})
                """);
        }

        await using (var db = database.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
            var member = await db.AccountMembers.SingleAsync();
            Assert.Equal((accountId, "owner-id", Roles.Owner, at), (member.AccountId, member.UserId, member.Role, member.CreatedAt));
            Assert.Equal(accountId, (await db.AccessTokens.SingleAsync(t => t.Id == tokenId)).AccountId);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_to_idempotent_requests_keeps_each_kept_rotation_holding_its_key_until_it_expires(DatabaseProvider provider)
    {
        using var database = new TestDatabase(provider);
        var at = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
        var accountId = Guid.NewGuid();
        var tokenId = Guid.NewGuid();
        var keyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("deploy-42"u8));
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261207080100_AccountLockReason");
            await AddAccountAsync(db, provider, accountId, "Acme", at);
            db.Users.Add(new ControlPanelUser { Id = "owner-id", UserName = "olive@acme.test", Email = "olive@acme.test", AccountId = accountId, CreatedAt = at });
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "AccessTokens" ("Id", "UserId", "AccountId", "Name", "Scope", "TokenHash", "Last4", "CreatedAt")
                VALUES ({Id(provider, tokenId)}, {"owner-id"}, {Id(provider, accountId)}, {"ci"}, {"ReadWrite"}, {new string('a', 64)}, {"aaaa"}, {at})
                """);
            // A rotation's answer as that schema kept it.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "IdempotentRotations" ("AccessTokenId", "KeyHash", "ApplicationId", "Grace", "ProtectedAnswer", "CreatedAt", "ExpiresAt")
                VALUES ({Id(provider, tokenId)}, {keyHash}, {Id(provider, Guid.NewGuid())}, {"OneHour"}, {"protected"}, {at}, {at.AddHours(1)})
                """);
        }

        await using (var db = database.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
            var kept = await db.IdempotentRequests.SingleAsync();
            Assert.Equal((tokenId, keyHash, "", "protected", at.AddHours(1)), (kept.AccessTokenId, kept.KeyHash, kept.RequestHash, kept.ProtectedAnswer, kept.ExpiresAt));
        }

        // Its request was not hashed, so no retry matches it: the key refuses a second rotation until the row expires.
        var clock = new FakeTimeProvider(at.AddMinutes(10));
        var requests = new IdempotentRequests(database.Factory, new EphemeralDataProtectionProvider(), Options.Create(new AccessTokenOptions()), clock);
        var ran = false;
        await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            requests.RunOnceAsync(tokenId, "deploy-42", "POST /rotate\n{}", "rotation", () => { ran = true; return Task.FromResult<string?>("answer"); }));
        Assert.False(ran);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.False((await requests.RunOnceAsync(tokenId, "deploy-42", "POST /rotate\n{}", "rotation", () => Task.FromResult<string?>("answer")))!.Replayed);
    }

    /// <summary>An account row as every schema version has it: the model's later columns (a lock's reason) are not there yet.</summary>
    private static Task AddAccountAsync(ControlPanelDbContext db, DatabaseProvider provider, Guid id, string name, DateTime at) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Accounts" ("Id", "Name", "CreatedAt", "IsLocked") VALUES ({Id(provider, id)}, {name}, {at}, {false})
            """);

    /// <summary>An id as a raw insert passes it: SQLite keeps ids as EF writes them, upper-case text.</summary>
    private static object Id(DatabaseProvider provider, Guid id) => provider == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;

    /// <summary>
    /// The model snapshot `dotnet ef migrations add` diffs against records the SQLite model (the design-time
    /// factory's provider). Out of date, the next generated migration would repeat or miss changes.
    /// </summary>
    [Fact]
    public void The_model_snapshot_equals_the_model()
    {
        using var database = new TestDatabase();
        using var db = database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges(),
            "the model changed since the snapshot: add the migration with `dotnet ef migrations add` (docs/development.md, Changing the model)");
    }

    /// <summary>Tables, columns (type, nullability, length) and indexes, as the database reports them.</summary>
    private static async Task<List<string>> DescribeAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var lines = new List<string>();
            foreach (var table in await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%' ORDER BY name"))
            {
                lines.AddRange((await QueryAsync(connection, $"SELECT name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{table}') ORDER BY name")).Select(c => $"{table}.{c}"));
                lines.AddRange((await QueryAsync(connection, $"SELECT name || ' unique=' || \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c' ORDER BY name")).Select(i => $"{table} index {i}"));
                lines.AddRange((await QueryAsync(connection, $"SELECT \"from\" || '->' || \"table\" || '.' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"from\"")).Select(k => $"{table} fk {k}"));
            }
            return lines;
        }
        var columns = await QueryAsync(connection, """
            SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' nullable=' || is_nullable || coalesce(' identity=' || identity_generation, '')
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '__EF%' ORDER BY 1
            """);
        var indexes = await QueryAsync(connection, "SELECT tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '__EF%' ORDER BY 1");
        var keys = await QueryAsync(connection, """
            SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE '"__EF%' ORDER BY 1
            """);
        return [.. columns, .. indexes, .. keys];
    }

    private static async Task<List<string>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }
}
