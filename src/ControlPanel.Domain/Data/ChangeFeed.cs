using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ControlPanel.Domain.Data;

/// <summary>
/// The one change notification. Services publish after saving a change the request check must see;
/// the change is stored (<see cref="Change"/>), applied on this instance before publishing returns
/// (so the UI's "done" means in force here), and followed by every other instance: at once through
/// PostgreSQL's <c>NOTIFY</c>, and by reading the log every <see cref="DatabaseOptions.ChangePollInterval"/>
/// in case a notification is missed. The host runs <see cref="FollowAsync"/>.
/// </summary>
public sealed class ChangeFeed(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock)
{
    /// <summary>The PostgreSQL channel instances listen on.</summary>
    public const string Channel = "controlpanel_changes";

    /// <summary>Changes older than this are deleted: every running instance has read them long before.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a change may take between taking its id and committing. A later id can commit before
    /// an earlier one, so ids younger than this are read again until they are settled.
    /// </summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _readGate = new(1, 1);
    private readonly HashSet<long> _seen = [];
    private Func<Guid?, CancellationToken, Task>[] _directory = [];
    private Func<Guid?, CancellationToken, Task>[] _session = [];
    private long _settled = -1;

    /// <summary>This process, as the origin of the changes it stores.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    /// <summary>Runs <paramref name="onChanged"/> for every change of <paramref name="topic"/>, with the change's subject.</summary>
    public void Subscribe(ChangeTopic topic, Func<Guid?, CancellationToken, Task> onChanged)
    {
        lock (_gate)
        {
            if (topic == ChangeTopic.Directory) _directory = [.. _directory, onChanged];
            else _session = [.. _session, onChanged];
        }
    }

    /// <summary>Stores a saved change for the other instances and applies it here.</summary>
    public async Task PublishAsync(ChangeTopic topic = ChangeTopic.Directory, Guid? subjectId = null, CancellationToken cancellationToken = default)
    {
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            db.Changes.Add(new Change { Topic = topic, SubjectId = subjectId, Origin = InstanceId, At = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken);
            if (db.Database.IsNpgsql())
                await db.Database.ExecuteSqlRawAsync($"NOTIFY {Channel}", cancellationToken);
        }
        await ApplyAsync(topic, subjectId, cancellationToken);
    }

    /// <summary>Fills the in-memory state at start: remembers where the log ends, then reloads everything.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var settleFrom = clock.GetUtcNow().UtcDateTime - SettleTime;
            // Only settled changes are skipped; younger ones are read again, as their order is not final yet.
            var settled = await db.Changes.Where(c => c.At < settleFrom).MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            lock (_gate) _settled = settled;
        }
        await ApplyAsync(ChangeTopic.Directory, null, cancellationToken);
    }

    /// <summary>Applies the changes other instances stored since the last read; returns how many.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await _readGate.WaitAsync(cancellationToken);
        try
        {
            List<Change> changes;
            long settled;
            lock (_gate) settled = _settled;
            await using (var db = await databases.CreateDbContextAsync(cancellationToken))
                changes = await db.Changes.AsNoTracking().Where(c => c.Id > settled).OrderBy(c => c.Id).ToListAsync(cancellationToken);

            // Marked seen only once applied: a reload that fails is tried again on the next read.
            var fresh = changes.Where(c => !_seen.Contains(c.Id)).ToList();
            var applied = fresh.Where(c => c.Origin != InstanceId).ToList();
            // One reload covers any number of directory changes.
            if (applied.Any(c => c.Topic == ChangeTopic.Directory)) await ApplyAsync(ChangeTopic.Directory, null, cancellationToken);
            foreach (var change in applied.Where(c => c.Topic != ChangeTopic.Directory))
                await ApplyAsync(change.Topic, change.SubjectId, cancellationToken);
            foreach (var change in fresh) _seen.Add(change.Id);

            // The settled prefix is never read again.
            var settleFrom = clock.GetUtcNow().UtcDateTime - SettleTime;
            foreach (var change in changes)
            {
                if (change.At >= settleFrom) break;
                settled = change.Id;
            }
            lock (_gate) _settled = settled;
            _seen.RemoveWhere(id => id <= settled);
            return applied.Count;
        }
        finally
        {
            _readGate.Release();
        }
    }

    /// <summary>
    /// Follows the other instances' changes until stopped: listens for PostgreSQL notifications and
    /// reads the log at least every <paramref name="pollInterval"/> (the only way on SQLite).
    /// </summary>
    public async Task FollowAsync(TimeSpan pollInterval, Action<Exception> onError, CancellationToken stoppingToken)
    {
        string? listenTo;
        await using (var db = await databases.CreateDbContextAsync(stoppingToken))
            listenTo = db.Database.IsNpgsql() ? db.Database.GetConnectionString() : null;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (listenTo is null)
                {
                    await Task.Delay(pollInterval, clock, stoppingToken);
                    await CatchUpAsync(stoppingToken);
                    continue;
                }
                await using var connection = new NpgsqlConnection(listenTo);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Anything stored before LISTEN took effect is read here.
                await CatchUpAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(pollInterval, stoppingToken);
                    await CatchUpAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                onError(e);
                try { await Task.Delay(pollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Deletes changes older than <see cref="Retention"/>; returns how many.</summary>
    public async Task<int> RemoveOldAsync(CancellationToken cancellationToken = default)
    {
        var before = clock.GetUtcNow().UtcDateTime - Retention;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Changes.Where(c => c.At < before).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task ApplyAsync(ChangeTopic topic, Guid? subjectId, CancellationToken cancellationToken)
    {
        var subscribers = topic == ChangeTopic.Directory ? _directory : _session;
        foreach (var subscriber in subscribers)
            await subscriber(subjectId, cancellationToken);
    }
}
