using System.Collections.Concurrent;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Sessions;

/// <summary>What a Bearer token turned out to be.</summary>
public enum SessionLookup { Live, Expired, Unknown }

/// <summary>A session as the request check holds it in memory.</summary>
public sealed class LiveSession(Guid id, Guid applicationId, Guid keyPairId, string view, DateTime createdAt, DateTime expiresAt)
{
    private string _view = view;

    public Guid Id { get; } = id;
    public Guid ApplicationId { get; } = applicationId;
    public Guid KeyPairId { get; } = keyPairId;
    public DateTime CreatedAt { get; } = createdAt;
    public DateTime ExpiresAt { get; } = expiresAt;
    public string View { get => Volatile.Read(ref _view); internal set => Volatile.Write(ref _view, value); }

    /// <summary>Per-user calls are rate limited per session ("per access token").</summary>
    public string RateLimitPartition { get; } = $"s:{id}";
}

/// <summary>
/// The sessions, in memory, keyed by token hash: the request check finds a Bearer token without a
/// database read. Loaded from the database at start (sessions survive restarts); expired sessions
/// stay for <see cref="Session.ExpiredRetention"/> so their tokens answer 113 rather than 114.
/// </summary>
public sealed class SessionStore(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock)
{
    private readonly ConcurrentDictionary<HashKey, LiveSession> _byToken = new();
    private readonly ConcurrentDictionary<Guid, HashKey> _tokenById = new();

    public int Count => _byToken.Count;

    public SessionLookup Find(ReadOnlySpan<char> token, DateTime now, out LiveSession? session)
    {
        session = null;
        if (!SessionToken.IsWellFormed(token) || !_byToken.TryGetValue(SessionToken.Key(token), out var found))
            return SessionLookup.Unknown;
        session = found;
        return found.ExpiresAt > now ? SessionLookup.Live : SessionLookup.Expired;
    }

    public LiveSession? FindById(Guid sessionId) =>
        _tokenById.TryGetValue(sessionId, out var key) && _byToken.TryGetValue(key, out var session) ? session : null;

    internal void Add(string tokenHashHex, LiveSession session)
    {
        var key = HashKey.From(Convert.FromHexString(tokenHashHex));
        _byToken[key] = session;
        _tokenById[session.Id] = key;
    }

    /// <summary>Fills the store from the database; called once at start.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var keepFrom = clock.GetUtcNow().UtcDateTime - Session.ExpiredRetention;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.ExpiresAt > keepFrom).ToListAsync(cancellationToken);
        foreach (var s in sessions)
            Add(s.TokenHash, new LiveSession(s.Id, s.ApplicationId, s.KeyPairId, s.View, s.CreatedAt, s.ExpiresAt));
    }

    /// <summary>Forgets sessions expired longer than the retention, in memory and in the database; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var keepFrom = clock.GetUtcNow().UtcDateTime - Session.ExpiredRetention;
        var removed = 0;
        foreach (var (key, session) in _byToken)
        {
            if (session.ExpiresAt > keepFrom) continue;
            if (_byToken.TryRemove(new KeyValuePair<HashKey, LiveSession>(key, session))) removed++;
            _tokenById.TryRemove(session.Id, out _);
        }
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Sessions.Where(s => s.ExpiresAt <= keepFrom).ExecuteDeleteAsync(cancellationToken);
        return removed;
    }
}
