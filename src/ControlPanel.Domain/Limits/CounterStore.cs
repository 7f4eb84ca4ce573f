using System.Collections.Concurrent;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Limits;

/// <summary>
/// Where the totals behind <see cref="LeasedCounters"/> live: in this process when it is the only
/// instance (SQLite), or in the database when several instances share the limits (PostgreSQL).
/// </summary>
public abstract class CounterStore
{
    /// <summary>Adds <paramref name="amount"/> (negative to give calls back) to a period's total; returns the new total.</summary>
    public abstract ValueTask<long> AddAsync(string key, DateTime period, long amount, DateTime expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Starts a period's total at <paramref name="value"/> unless it has one already.</summary>
    public abstract Task SeedAsync(string key, DateTime period, long value, DateTime expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Forgets totals whose period has ended; returns how many.</summary>
    public abstract Task<int> RemoveExpiredAsync(DateTime now, CancellationToken cancellationToken = default);
}

/// <summary>Totals in memory: exact and free for the only instance.</summary>
public sealed class ProcessCounterStore : CounterStore
{
    private readonly ConcurrentDictionary<(string Key, DateTime Period), Total> _totals = new();

    public override ValueTask<long> AddAsync(string key, DateTime period, long amount, DateTime expiresAt, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Interlocked.Add(ref _totals.GetOrAdd((key, period), static (_, expires) => new Total(expires), expiresAt).Value, amount));

    public override Task SeedAsync(string key, DateTime period, long value, DateTime expiresAt, CancellationToken cancellationToken = default)
    {
        _totals.TryAdd((key, period), new Total(expiresAt) { Value = value });
        return Task.CompletedTask;
    }

    public override Task<int> RemoveExpiredAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var entry in _totals)
            if (entry.Value.ExpiresAt <= now && _totals.TryRemove(entry)) removed++;
        return Task.FromResult(removed);
    }

    private sealed class Total(DateTime expiresAt)
    {
        public readonly DateTime ExpiresAt = expiresAt;
        public long Value;
    }
}

/// <summary>
/// Totals in the <see cref="SharedCounter"/> table, changed by one atomic upsert each, so instances
/// sharing the database never hand out the same call twice.
/// </summary>
public sealed class DatabaseCounterStore(IDbContextFactory<ControlPanelDbContext> databases) : CounterStore
{
    public override async ValueTask<long> AddAsync(string key, DateTime period, long amount, DateTime expiresAt, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var totals = await db.Database.SqlQuery<long>($"""
            INSERT INTO "SharedCounters" ("Key", "Period", "Taken", "ExpiresAt") VALUES ({key}, {period}, {amount}, {expiresAt})
            ON CONFLICT ("Key", "Period") DO UPDATE SET "Taken" = "SharedCounters"."Taken" + excluded."Taken"
            RETURNING "Taken" AS "Value"
            """).ToListAsync(cancellationToken);
        return totals[0];
    }

    public override async Task SeedAsync(string key, DateTime period, long value, DateTime expiresAt, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "SharedCounters" ("Key", "Period", "Taken", "ExpiresAt") VALUES ({key}, {period}, {value}, {expiresAt})
            ON CONFLICT ("Key", "Period") DO NOTHING
            """, cancellationToken);
    }

    public override async Task<int> RemoveExpiredAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.SharedCounters.Where(c => c.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}
