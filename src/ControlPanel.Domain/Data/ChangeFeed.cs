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
    // When the log was last read here (the start counts); guarded by _gate.
    private DateTime _lastRead;

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
        // Claimed before it can be read back: a read of the log between the commit and the end of the apply below (a
        // poll, or this instance's own NOTIFY) would otherwise apply it a second time.
        lock (_gate) _seen.Add(change.Id);
        try
        {
            if (db.Database.CurrentTransaction is { } transaction) await transaction.CommitAsync(cancellationToken);

            // Committed and in the log: if anything below fails, the instances' next read of the log applies it.
            await _notifier.NotifyAsync(db, cancellationToken);
            await ApplyAsync(topic, subjectId, cancellationToken);
        }
        catch
        {
            // Not applied here: released, so this instance's next read of the log applies it.
            lock (_gate) _seen.Remove(change.Id);
            throw;
        }
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
            lock (_gate) (_settled, _lastRead) = (settled, settleFrom + SettleTime);
        }
        // Each index reads its own tables, so they load side by side: with a million key pairs the key index and the
        // application directory take about as long each, and a second core halves the time until the instance is ready.
        await Task.WhenAll(_subscribers.Select(subscriber => Task.Run(async () =>
        {
            foreach (var topic in (ChangeTopic[])[ChangeTopic.Directory, ChangeTopic.Resources])
                if (subscriber.Follows(topic)) await subscriber.ApplyChangeAsync(topic, null, cancellationToken);
        }, cancellationToken)));
    }

    /// <summary>Applies the changes other instances stored since the last read; returns how many.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await _readGate.WaitAsync(cancellationToken);
        try
        {
            List<Change> changes;
            long settled;
            var readAt = clock.GetUtcNow().UtcDateTime;
            lock (_gate) settled = _settled;
            await using (var db = await databases.CreateDbContextAsync(cancellationToken))
                changes = await db.Changes.AsNoTracking().Where(c => c.Id > settled).OrderBy(c => c.Id).ToListAsync(cancellationToken);

            // Marked seen only once applied: a change that fails is tried again on the next read. This
            // instance's own changes count too when it did not get to apply them after their commit.
            List<Change> applied;
            DateTime lastRead;
            lock (_gate) (applied, lastRead) = (changes.Where(c => !_seen.Contains(c.Id)).ToList(), _lastRead);
            // Not read for longer than changes are kept (the database was out of reach): some may have been removed unread.
            foreach (var (topic, subjectId) in Plan(applied, fellBehind: readAt - lastRead > Retention))
                await ApplyAsync(topic, subjectId, cancellationToken);

            // The settled prefix is never read again.
            var settleFrom = clock.GetUtcNow().UtcDateTime - SettleTime;
            foreach (var change in changes)
            {
                if (change.At >= settleFrom) break;
                settled = change.Id;
            }
            lock (_gate)
            {
                _lastRead = readAt;
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

    /// <summary>
    /// What to apply for changes read from the log, in order: each change of one thing once, however often it changed
    /// (the subscribers read its present state); one whole reload of the directory instead of its one-by-one changes
    /// when a change asks for it, when there are more than <see cref="MostSingleChanges"/>, or when this instance has
    /// not read the log for so long that changes it missed may have been removed.
    /// </summary>
    internal static List<(ChangeTopic Topic, Guid? SubjectId)> Plan(IReadOnlyCollection<Change> changes, bool fellBehind)
    {
        var wholeDirectory = fellBehind
            || changes.Any(c => c.Topic == ChangeTopic.Directory)
            || changes.Count(c => IsInDirectory(c.Topic)) > MostSingleChanges;
        var plan = new List<(ChangeTopic, Guid?)>();
        if (wholeDirectory) plan.Add((ChangeTopic.Directory, null));
        var planned = new HashSet<(ChangeTopic, Guid?)>();
        foreach (var change in changes)
        {
            if (change.Topic == ChangeTopic.Directory || (wholeDirectory && IsInDirectory(change.Topic))) continue;
            if (planned.Add((change.Topic, change.SubjectId))) plan.Add((change.Topic, change.SubjectId));
        }
        return plan;
    }

    /// <summary>Beyond this many changes of single applications or accounts in one read, one whole reload is cheaper.</summary>
    internal const int MostSingleChanges = 1000;

    private static bool IsInDirectory(ChangeTopic topic) => topic is ChangeTopic.Application or ChangeTopic.Account;

    private async Task ApplyAsync(ChangeTopic topic, Guid? subjectId, CancellationToken cancellationToken)
    {
        foreach (var subscriber in _subscribers)
            if (subscriber.Follows(topic)) await subscriber.ApplyChangeAsync(topic, subjectId, cancellationToken);
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
