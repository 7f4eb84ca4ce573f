using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ControlPanel.Domain.Data;

/// <summary>
/// The one change notification. Services save a change the request check must see through
/// <see cref="SaveAsync"/>: the change row (<see cref="Change"/>) is written in the same transaction as
/// the change itself, so a committed change is always in the log. After the commit it is applied on
/// this instance (so the UI's "done" means in force here) and other instances are told at once through
/// PostgreSQL's <c>NOTIFY</c>; whatever happens between the commit and that notification, every
/// instance reads the log every <see cref="DatabaseOptions.ChangePollInterval"/> and applies what it has
/// not applied yet. The host runs <see cref="FollowAsync"/>. What follows the feed is an <see cref="IChangeSubscriber"/>,
/// given to it when it is made.
/// </summary>
public sealed class ChangeFeed(
    IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock, IEnumerable<IChangeSubscriber> subscribers, ChangeNotifier? notifier = null)
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

    private readonly ChangeNotifier _notifier = notifier ?? new ChangeNotifier();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _readGate = new(1, 1);
    // Changes applied here (made here, or read from the log), not yet settled; guarded by _gate.
    private readonly HashSet<long> _seen = [];
    private readonly IChangeSubscriber[] _subscribers = [.. subscribers];
    private long _settled = -1;

    /// <summary>This process, as the origin of the changes it stores.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    /// <summary>
    /// Saves <paramref name="db"/>'s unit of work together with a change row, in one transaction (the
    /// caller's, committed here, when it opened one), then applies the change here and tells the other
    /// instances. Every writer of something the request check follows saves through this.
    /// </summary>
    public async Task SaveAsync(ControlPanelDbContext db, ChangeTopic topic = ChangeTopic.Directory, Guid? subjectId = null, CancellationToken cancellationToken = default)
    {
        var change = new Change { Topic = topic, SubjectId = subjectId, Origin = InstanceId, At = clock.GetUtcNow().UtcDateTime };
        db.Changes.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        if (db.Database.CurrentTransaction is { } transaction) await transaction.CommitAsync(cancellationToken);

        // Committed and in the log: if anything below fails, the instances' next read of the log applies it.
        await _notifier.NotifyAsync(db, cancellationToken);
        await ApplyAsync(topic, subjectId, cancellationToken);
        lock (_gate)
            if (change.Id > _settled) _seen.Add(change.Id);
    }

    /// <summary>
    /// Stores a change that has nothing else to save (time passing, such as a key pair's expiry) and applies it.
    /// A change of data saves through <see cref="SaveAsync"/> instead, in the same transaction.
    /// </summary>
    public async Task PublishAsync(ChangeTopic topic = ChangeTopic.Directory, Guid? subjectId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await SaveAsync(db, topic, subjectId, cancellationToken);
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
        await ApplyAsync(ChangeTopic.Resources, null, cancellationToken);
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

            // Marked seen only once applied: a reload that fails is tried again on the next read. This
            // instance's own changes count too when it did not get to apply them after their commit.
            List<Change> applied;
            lock (_gate) applied = changes.Where(c => !_seen.Contains(c.Id)).ToList();
            // One reload covers any number of directory changes.
            if (applied.Any(c => c.Topic == ChangeTopic.Directory)) await ApplyAsync(ChangeTopic.Directory, null, cancellationToken);
            foreach (var change in applied.Where(c => c.Topic != ChangeTopic.Directory))
                await ApplyAsync(change.Topic, change.SubjectId, cancellationToken);

            // The settled prefix is never read again.
            var settleFrom = clock.GetUtcNow().UtcDateTime - SettleTime;
            foreach (var change in changes)
            {
                if (change.At >= settleFrom) break;
                settled = change.Id;
            }
            lock (_gate)
            {
                foreach (var change in applied) _seen.Add(change.Id);
                _settled = settled;
                _seen.RemoveWhere(id => id <= settled);
            }
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
        foreach (var subscriber in _subscribers)
            if (subscriber.Topic == topic) await subscriber.ApplyChangeAsync(subjectId, cancellationToken);
    }
}

/// <summary>
/// Tells the other instances at once that a change was committed (PostgreSQL <c>NOTIFY</c>; SQLite
/// instances only poll). A notification may be lost, so nothing depends on it but speed. Tests
/// derive from it to fail between a commit and its notification.
/// </summary>
public class ChangeNotifier
{
    public virtual async Task NotifyAsync(ControlPanelDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlRawAsync($"NOTIFY {ChangeFeed.Channel}", cancellationToken);
    }
}
