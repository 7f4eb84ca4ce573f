using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Keys;

/// <summary>
/// The live key pairs, in memory, for the request check: finding a pair hashes the presented keys
/// and never touches the database. A change of one application (<see cref="ChangeTopic.Application"/>) reads only
/// that application's pairs again; the whole index is read at start and when this instance fell behind the
/// <see cref="ChangeFeed"/>, row by row. Also gathers "last used" times, written to the database in batches.
/// </summary>
public sealed class KeyIndex : IChangeSubscriber
{
    private readonly IDbContextFactory<ControlPanelDbContext> _databases;
    private readonly TimeProvider _clock;
    // One writer at a time, each reading the database after the change it applies committed: the last write is the newest state.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<Guid, long> _lastUsed = new();
    // Application keys are unique (a unique index), so one pair per application key.
    private readonly ShardedMap<HashKey, Match> _byApplicationKey = new();
    private readonly ShardedMap<Guid, Match> _byId = new();

    public KeyIndex(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock)
    {
        _databases = databases;
        _clock = clock;
    }

    public ChangeTopic Topic => ChangeTopic.Directory;

    public bool Follows(ChangeTopic topic) => topic is ChangeTopic.Directory or ChangeTopic.Application or ChangeTopic.Account;

    public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) => ApplyChangeAsync(Topic, subjectId, cancellationToken);

    public Task ApplyChangeAsync(ChangeTopic topic, Guid? subjectId, CancellationToken cancellationToken) => (topic, subjectId) switch
    {
        (ChangeTopic.Application, { } applicationId) => ReloadApplicationsAsync(db => db.Applications.IgnoreQueryFilters().Where(a => a.Id == applicationId), cancellationToken),
        // An account's lock is not the index's business, but its deletion and restoring are.
        (ChangeTopic.Account, { } accountId) => ReloadApplicationsAsync(db => db.Applications.IgnoreQueryFilters().Where(a => a.AccountId == accountId), cancellationToken),
        _ => ReloadAsync(cancellationToken),
    };

    /// <summary>A live pair as the index holds it (immutable, one object found by either key), so a find allocates nothing.</summary>
    public sealed class Match
    {
        internal readonly HashKey ConsumerKeyHash;
        // Ticks rather than a nullable DateTime: half the size; 0 is "never".
        private readonly long _expiresAtTicks;

        internal Match(Guid keyPairId, Guid applicationId, HashKey consumerKeyHash, DateTime? expiresAt)
        {
            KeyPairId = keyPairId;
            ApplicationId = applicationId;
            ConsumerKeyHash = consumerKeyHash;
            _expiresAtTicks = expiresAt?.Ticks ?? 0;
        }

        public Guid KeyPairId { get; }
        public Guid ApplicationId { get; }

        internal bool IsLiveAt(DateTime now) => _expiresAtTicks == 0 || _expiresAtTicks > now.Ticks;
    }

    /// <summary>The live pair these keys belong to, or null. Keys must already be well-formed (<see cref="ApiKey.IsWellFormed"/>).</summary>
    public Match? Find(ReadOnlySpan<char> applicationKey, ReadOnlySpan<char> consumerKey, DateTime now) =>
        Find(applicationKey, consumerKey, now, out _);

    /// <summary>
    /// The live pair these keys belong to, or null; <paramref name="applicationKeyOwner"/> is the live pair whose application key
    /// was presented whether or not the consumer key matched it (for usage only: a caller is never told the application key exists).
    /// </summary>
    public Match? Find(ReadOnlySpan<char> applicationKey, ReadOnlySpan<char> consumerKey, DateTime now, out Match? applicationKeyOwner)
    {
        applicationKeyOwner = null;
        Span<byte> applicationHash = stackalloc byte[32];
        Span<byte> consumerHash = stackalloc byte[32];
        ApiKey.Hash(applicationKey, applicationHash);
        ApiKey.Hash(consumerKey, consumerHash);
        if (!_byApplicationKey.TryGetValue(HashKey.From(applicationHash), out var entry)) return null;

        // Constant time over the consumer key.
        var presented = HashKey.From(consumerHash);
        var matches = CryptographicOperations.FixedTimeEquals(
            MemoryMarshal.AsBytes(new ReadOnlySpan<HashKey>(in entry.ConsumerKeyHash)), MemoryMarshal.AsBytes(new ReadOnlySpan<HashKey>(in presented)));
        if (!entry.IsLiveAt(now)) return null;
        applicationKeyOwner = entry;
        return matches ? entry : null;
    }

    /// <summary>The pair with this id while it is live, or null: a session lives only as long as the keys that opened it.</summary>
    public Match? FindById(Guid keyPairId, DateTime now) =>
        _byId.TryGetValue(keyPairId, out var entry) && entry.IsLiveAt(now) ? entry : null;

    public int Count => _byApplicationKey.Count;

    /// <summary>Reads every live pair again, streaming rows into a new index that replaces the old one when complete.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            var (byApplicationKey, byId) = (new ShardedMap<HashKey, Match>.Builder(), new ShardedMap<Guid, Match>.Builder());
            await using var db = await _databases.CreateDbContextAsync(cancellationToken);
            var live = Rows(InService(db, db.KeyPairs.Where(p => p.RevokedAt == null && (p.ExpiresAt == null || p.ExpiresAt > now))));
            await foreach (var row in live.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                var match = row.ToMatch();
                byApplicationKey.Set(HashKey.FromHex(row.ApplicationKeyHash), match);
                byId.Set(match.KeyPairId, match);
            }
            _byApplicationKey.Replace(byApplicationKey);
            _byId.Replace(byId);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Reads some applications' pairs again (deleted ones included): live pairs are set, ended ones removed, all of those of an
    /// application out of service (deleted, or its account deleted). Pairs are never deleted.
    /// </summary>
    private async Task ReloadApplicationsAsync(Func<ControlPanelDbContext, IQueryable<Application>> which, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            await using var db = await _databases.CreateDbContextAsync(cancellationToken);
            var applicationIds = await which(db).Select(a => a.Id).ToListAsync(cancellationToken);
            var rows = await Rows(db.KeyPairs.Where(p => applicationIds.Contains(p.ApplicationId))).ToListAsync(cancellationToken);
            var inService = (await InService(db).Where(a => applicationIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
            var live = rows.Where(p => inService.Contains(p.ApplicationId) && p.RevokedAt is null && (p.ExpiresAt is null || p.ExpiresAt > now)).ToList();
            var ended = rows.Except(live).ToList();
            var matches = live.Select(p => (Key: HashKey.FromHex(p.ApplicationKeyHash), Match: p.ToMatch())).ToList();
            _byApplicationKey.Update(ended.Select(p => HashKey.FromHex(p.ApplicationKeyHash)), matches.Select(m => KeyValuePair.Create(m.Key, m.Match)));
            _byId.Update(ended.Select(p => p.Id), matches.Select(m => KeyValuePair.Create(m.Match.KeyPairId, m.Match)));
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The applications in service: not deleted (the model's filter on applications), nor their account.</summary>
    private static IQueryable<Application> InService(ControlPanelDbContext db) =>
        db.Applications.Where(a => a.Account!.DeletionRequestedAt == null);

    /// <summary>The pairs whose application is in service.</summary>
    private static IQueryable<KeyPair> InService(ControlPanelDbContext db, IQueryable<KeyPair> pairs)
    {
        var inService = InService(db);
        return pairs.Where(p => inService.Any(a => a.Id == p.ApplicationId));
    }

    private static IQueryable<PairRow> Rows(IQueryable<KeyPair> pairs) => pairs.AsNoTracking()
        .Select(p => new PairRow(p.Id, p.ApplicationId, p.ApplicationKeyHash, p.ConsumerKeyHash, p.ExpiresAt, p.RevokedAt));

    private sealed record PairRow(Guid Id, Guid ApplicationId, string ApplicationKeyHash, string ConsumerKeyHash, DateTime? ExpiresAt, DateTime? RevokedAt)
    {
        public Match ToMatch() => new(Id, ApplicationId, HashKey.FromHex(ConsumerKeyHash), ExpiresAt);
    }

    /// <summary>Notes that a pair was used; no database write here.</summary>
    public void RecordUse(Guid keyPairId, DateTime at) =>
        _lastUsed.AddOrUpdate(keyPairId, static (_, ticks) => ticks, static (_, previous, ticks) => Math.Max(previous, ticks), at.Ticks);

    /// <summary>Writes the gathered "last used" times. Called every second by the host, and on shutdown.</summary>
    public async Task FlushUsesAsync(CancellationToken cancellationToken = default)
    {
        if (_lastUsed.IsEmpty) return;
        var batch = new List<(Guid Id, DateTime At)>();
        foreach (var (id, ticks) in _lastUsed)
            if (_lastUsed.TryRemove(new KeyValuePair<Guid, long>(id, ticks)))
                batch.Add((id, new DateTime(ticks, DateTimeKind.Utc)));

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        foreach (var (id, at) in batch)
            await db.KeyPairs.Where(p => p.Id == id && (p.LastUsedAt == null || p.LastUsedAt < at))
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.LastUsedAt, at), cancellationToken);
    }
}
