using System.Collections.Concurrent;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Monitoring;
using ControlPanel.Domain.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Sessions;

/// <summary>What a Bearer token turned out to be.</summary>
public enum SessionLookup { Live, Expired, Unknown }

/// <summary>A session as the request check holds it in memory.</summary>
public sealed class LiveSession(Guid id, Guid applicationId, Guid keyPairId, string view, DateTime createdAt, DateTime expiresAt, bool ended = false)
{
    private string _view = view;
    private long _expiresAtTicks = expiresAt.Ticks;
    private bool _ended = ended;

    public Guid Id { get; } = id;
    public Guid ApplicationId { get; } = applicationId;
    public Guid KeyPairId { get; } = keyPairId;
    public DateTime CreatedAt { get; } = createdAt;
    public string View { get => Volatile.Read(ref _view); internal set => Volatile.Write(ref _view, value); }

    /// <summary>Two hours after opening, or earlier when an owner or admin ended the session.</summary>
    public DateTime ExpiresAt => new(Interlocked.Read(ref _expiresAtTicks), DateTimeKind.Utc);

    /// <summary>An owner or admin ended the session before it expired.</summary>
    public bool Ended => Volatile.Read(ref _ended);

    /// <summary>Per-user calls are rate limited per session ("per access token").</summary>
    public string RateLimitPartition { get; } = $"s:{id}";

    internal void End(DateTime at)
    {
        Interlocked.Exchange(ref _expiresAtTicks, at.Ticks);
        Volatile.Write(ref _ended, true);
    }

    internal static LiveSession From(Session s) => new(s.Id, s.ApplicationId, s.KeyPairId, s.View, s.CreatedAt, s.ExpiresAt, s.EndedAt is not null);
}

/// <summary>
/// The sessions, in memory, keyed by token hash: the request check finds a Bearer token without a
/// database read. Loaded from the database at start (sessions survive restarts); a token opened on
/// another instance is looked up once on first use, and view changes arrive through the
/// <see cref="ChangeFeed"/>. Expired sessions stay for <see cref="Session.ExpiredRetention"/> so their
/// tokens answer 113 rather than 114.
/// A token not held here reaches the database only if its MAC verifies under the shared
/// <see cref="SessionTokenKey"/>: made-up tokens are refused in memory, so they cannot spend the
/// look-up budget (<see cref="ApiOptions.SessionLookupsPerSecond"/>) that real sessions opened on
/// other instances need. A signed token the database does not know (a session swept long ago) is
/// remembered as unknown, so replaying it costs one look-up per instance, not one per call.
/// </summary>
public sealed class SessionStore : IChangeSubscriber
{
    private readonly ConcurrentDictionary<HashKey, LiveSession> _byToken = new();
    private readonly ConcurrentDictionary<Guid, HashKey> _tokenById = new();
    private readonly IDbContextFactory<ControlPanelDbContext> _databases;
    private readonly TimeProvider _clock;
    private readonly int _lookupsPerSecond;
    private readonly ConcurrentDictionary<HashKey, byte> _knownUnknown = new();
    private Task<SessionTokenKey>? _key;
    private long _lookups;
    private long _lookupSecond;
    private int _lookupsThisSecond;

    public SessionStore(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock, IOptions<ApiOptions> options)
    {
        _databases = databases;
        _clock = clock;
        _lookupsPerSecond = options.Value.SessionLookupsPerSecond;
    }

    public ChangeTopic Topic => ChangeTopic.Session;

    /// <summary>A session change names its session; only that one is read again.</summary>
    public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) =>
        subjectId is { } sessionId ? ReloadAsync(sessionId, cancellationToken) : Task.CompletedTask;

    /// <summary>How many signed tokens remembered as unknown are kept before the memory starts over.</summary>
    internal const int KnownUnknownCapacity = 100_000;

    public int Count => _byToken.Count;

    /// <summary>Database look-ups of tokens made so far (for tests and diagnostics).</summary>
    public long LookupCount => Interlocked.Read(ref _lookups);

    /// <summary>
    /// The MAC key of session tokens, read from the database (made there by the first instance that
    /// needs it) once, then held.
    /// </summary>
    public Task<SessionTokenKey> GetTokenKeyAsync()
    {
        var key = Volatile.Read(ref _key);
        if (key is null || key.IsFaulted || key.IsCanceled)
        {
            // A failed read (database away) is tried again on the next call rather than remembered.
            var loading = LoadTokenKeyAsync();
            key = Interlocked.CompareExchange(ref _key, loading, key) == key ? loading : Volatile.Read(ref _key)!;
        }
        return key;
    }

    private async Task<SessionTokenKey> LoadTokenKeyAsync() =>
        new(await SharedSecret.GetOrCreateAsync(_databases, SessionTokenKey.SecretName, SessionTokenKey.KeyBytes, _clock.GetUtcNow().UtcDateTime));

    /// <summary>Finds a token; completes at once unless the token is not held here and is signed, so must be looked up.</summary>
    public ValueTask<(SessionLookup Lookup, LiveSession? Session)> FindAsync(string token, DateTime now)
    {
        if (!SessionToken.IsWellFormed(token)) return ValueTask.FromResult<(SessionLookup, LiveSession?)>((SessionLookup.Unknown, null));
        var key = SessionToken.Key(token);
        // Held sessions first: tokens of sessions loaded at start are found even if made before tokens were signed.
        if (_byToken.TryGetValue(key, out var found)) return ValueTask.FromResult(Classify(found, now));
        if (_knownUnknown.ContainsKey(key)) return ValueTask.FromResult<(SessionLookup, LiveSession?)>((SessionLookup.Unknown, null));
        var tokenKey = GetTokenKeyAsync();
        if (tokenKey.IsCompletedSuccessfully && !SessionToken.IsSignedBy(token, tokenKey.Result))
            return ValueTask.FromResult<(SessionLookup, LiveSession?)>((SessionLookup.Unknown, null));
        return LookUpAsync(token, key, tokenKey, now);
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
        await GetTokenKeyAsync().WaitAsync(cancellationToken);
        var keepFrom = _clock.GetUtcNow().UtcDateTime - Session.ExpiredRetention;
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.ExpiresAt > keepFrom).ToListAsync(cancellationToken);
        foreach (var s in sessions)
            Add(s.TokenHash, LiveSession.From(s));
    }

    /// <summary>
    /// Forgets sessions expired longer than <see cref="Session.ExpiredRetention"/>; returns how many. Their rows stay for
    /// their activity (<see cref="SessionRetention"/> deletes them).
    /// </summary>
    public int Sweep()
    {
        var keepFrom = _clock.GetUtcNow().UtcDateTime - Session.ExpiredRetention;
        var removed = 0;
        foreach (var (key, session) in _byToken)
        {
            if (session.ExpiresAt > keepFrom) continue;
            if (_byToken.TryRemove(new KeyValuePair<HashKey, LiveSession>(key, session))) removed++;
            _tokenById.TryRemove(session.Id, out _);
        }
        return removed;
    }

    private static (SessionLookup, LiveSession?) Classify(LiveSession session, DateTime now) =>
        (session.ExpiresAt > now ? SessionLookup.Live : SessionLookup.Expired, session);

    private async ValueTask<(SessionLookup, LiveSession?)> LookUpAsync(string token, HashKey key, Task<SessionTokenKey> tokenKey, DateTime now)
    {
        var signingKey = await tokenKey;
        if (!SessionToken.IsSignedBy(token, signingKey)) return (SessionLookup.Unknown, null);
        if (!TakeLookup(now))
        {
            ControlPanelMetrics.RecordSessionLookup("over_budget");
            return (SessionLookup.Unknown, null);
        }
        Interlocked.Increment(ref _lookups);
        var hash = SessionToken.HashHex(token);
        await using var db = await _databases.CreateDbContextAsync();
        var stored = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.TokenHash == hash);
        // A row kept only for its activity: its token answers as one forgotten, as it did when such rows were deleted.
        if (stored is not null && stored.ExpiresAt <= now - Session.ExpiredRetention) stored = null;
        if (stored is null)
        {
            // A session is saved before its token is handed out, so a signed token missing now stays missing.
            if (_knownUnknown.Count >= KnownUnknownCapacity) _knownUnknown.Clear();
            _knownUnknown.TryAdd(key, 0);
            ControlPanelMetrics.RecordSessionLookup("unknown");
            return (SessionLookup.Unknown, null);
        }
        ControlPanelMetrics.RecordSessionLookup("found");
        var session = LiveSession.From(stored);
        Add(stored.TokenHash, session);
        return Classify(session, now);
    }

    /// <summary>Takes one of this second's lookups; false when they are used up.</summary>
    private bool TakeLookup(DateTime now)
    {
        var second = now.Ticks / TimeSpan.TicksPerSecond;
        var current = Interlocked.Read(ref _lookupSecond);
        if (current != second && Interlocked.CompareExchange(ref _lookupSecond, second, current) == current)
            Interlocked.Exchange(ref _lookupsThisSecond, 0);
        return Interlocked.Increment(ref _lookupsThisSecond) <= _lookupsPerSecond;
    }

    /// <summary>Reloads one session after another instance changed it (or forgets it when it is gone).</summary>
    private async Task ReloadAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        if (!_tokenById.ContainsKey(sessionId)) return; // not held here: looked up whole on first use
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var stored = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (stored is null)
        {
            if (_tokenById.TryRemove(sessionId, out var key)) _byToken.TryRemove(key, out _);
            return;
        }
        // Changed in place: a call holding the session sees the new view (or its end) too.
        if (FindById(sessionId) is { } held)
        {
            held.View = stored.View;
            if (stored.EndedAt is not null && !held.Ended) held.End(stored.ExpiresAt);
        }
        else Add(stored.TokenHash, LiveSession.From(stored));
    }
}
