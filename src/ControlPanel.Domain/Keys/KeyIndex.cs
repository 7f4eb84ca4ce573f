using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Keys;

/// <summary>
/// The live key pairs, in memory, for the request check: finding a pair hashes the presented keys
/// and never touches the database. Reloaded whole on every change (the <see cref="ChangeFeed"/>).
/// Also gathers "last used" times, written to the database in batches.
/// </summary>
public sealed class KeyIndex : IChangeSubscriber
{
    private readonly IDbContextFactory<ControlPanelDbContext> _databases;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly ConcurrentDictionary<Guid, long> _lastUsed = new();
    private FrozenDictionary<HashKey, Entry[]> _byApplicationKey = FrozenDictionary<HashKey, Entry[]>.Empty;
    private FrozenDictionary<Guid, Entry> _byId = FrozenDictionary<Guid, Entry>.Empty;

    public KeyIndex(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock)
    {
        _databases = databases;
        _clock = clock;
    }

    public ChangeTopic Topic => ChangeTopic.Directory;

    public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public sealed record Match(Guid KeyPairId, Guid ApplicationId);

    private sealed record Entry(Guid KeyPairId, Guid ApplicationId, byte[] ConsumerKeyHash, DateTime? ExpiresAt);

    /// <summary>The live pair these keys belong to, or null. Keys must already be well-formed (<see cref="ApiKey.IsWellFormed"/>).</summary>
    public Match? Find(ReadOnlySpan<char> applicationKey, ReadOnlySpan<char> consumerKey, DateTime now)
    {
        Span<byte> applicationHash = stackalloc byte[32];
        Span<byte> consumerHash = stackalloc byte[32];
        ApiKey.Hash(applicationKey, applicationHash);
        ApiKey.Hash(consumerKey, consumerHash);
        if (!_byApplicationKey.TryGetValue(HashKey.From(applicationHash), out var entries)) return null;

        Match? match = null;
        foreach (var entry in entries)
        {
            // Constant time over the consumer key, and every candidate is compared.
            if (CryptographicOperations.FixedTimeEquals(entry.ConsumerKeyHash, consumerHash)
                && (entry.ExpiresAt is null || entry.ExpiresAt > now))
                match = new Match(entry.KeyPairId, entry.ApplicationId);
        }
        return match;
    }

    /// <summary>The pair with this id while it is live, or null: a session lives only as long as the keys that opened it.</summary>
    public Match? FindById(Guid keyPairId, DateTime now) =>
        _byId.TryGetValue(keyPairId, out var entry) && (entry.ExpiresAt is null || entry.ExpiresAt > now)
            ? new Match(entry.KeyPairId, entry.ApplicationId)
            : null;

    public int Count => _byApplicationKey.Count;

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadGate.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            await using var db = await _databases.CreateDbContextAsync(cancellationToken);
            var pairs = await db.KeyPairs.AsNoTracking()
                .Where(p => p.RevokedAt == null && (p.ExpiresAt == null || p.ExpiresAt > now))
                .Select(p => new { p.Id, p.ApplicationId, p.ApplicationKeyHash, p.ConsumerKeyHash, p.ExpiresAt })
                .ToListAsync(cancellationToken);
            var entries = pairs.Select(p => (ApplicationKeyHash: p.ApplicationKeyHash, Entry: new Entry(p.Id, p.ApplicationId, Convert.FromHexString(p.ConsumerKeyHash), p.ExpiresAt))).ToList();
            _byApplicationKey = entries
                .GroupBy(e => HashKey.From(Convert.FromHexString(e.ApplicationKeyHash)))
                .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.Entry).ToArray());
            _byId = entries.ToFrozenDictionary(e => e.Entry.KeyPairId, e => e.Entry);
        }
        finally
        {
            _reloadGate.Release();
        }
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
