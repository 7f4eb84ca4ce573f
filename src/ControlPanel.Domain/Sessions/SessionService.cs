using System.Text.RegularExpressions;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Sessions;

/// <summary>Opening sessions and changing their view: the two writes behind the session endpoints.</summary>
public sealed partial class SessionService(
    IDbContextFactory<ControlPanelDbContext> databases, SessionStore store, ChangeFeed changes, RateLimiter limiter, IOptions<ApiOptions> options, TimeProvider clock,
    ApplicationDirectory directory)
{
    private readonly int _perApplicationPerMinute = options.Value.SessionsPerApplicationPerMinute;
    private readonly int _livePerKeyPair = options.Value.MaxLiveSessionsPerKeyPair;

    /// <summary>A new session; <see cref="Token"/> is the only time the token exists in plaintext.</summary>
    public sealed record Opened(Guid SessionId, string Token, DateTime ExpiresAt, string View)
    {
        public override string ToString() => $"Opened {{ SessionId = {SessionId}, ExpiresAt = {ExpiresAt:O} }}";
    }

    /// <summary>
    /// The outcome of opening a session: <see cref="Session"/>, or a refusal with the rate-limit window
    /// to report (158) or how long until a slot frees (196).
    /// </summary>
    public sealed record OpenResult(Opened? Session, ApiError? Error, string ExtraInfo, RateLimitDecision? RateLimit, TimeSpan? RetryAfter)
    {
        public static OpenResult Refused(ApiError error, string extraInfo, RateLimitDecision? rate = null, TimeSpan? retryAfter = null) => new(null, error, extraInfo, rate, retryAfter);
    }

    /// <summary>
    /// Opens a session for the keys of an allowed decision, starting on the application's default view,
    /// unless the application opened <see cref="ApiOptions.SessionsPerApplicationPerMinute"/> this minute (158)
    /// or the key pair holds <see cref="ApiOptions.MaxLiveSessionsPerKeyPair"/> live sessions (196).
    /// <paramref name="openedFrom"/> is the client address, kept with the session's activity.
    /// </summary>
    public async Task<OpenResult> OpenAsync(Decision decision, string? openedFrom = null, CancellationToken cancellationToken = default)
    {
        if (!decision.Allowed || decision.Application is not { } application || decision.KeyPairId is not { } keyPairId)
            throw new InvalidOperationException("Only an allowed decision opens a session.");

        var at = clock.GetUtcNow();
        var now = at.UtcDateTime;
        // The rate first: it is counted in memory, so a flood is refused before the count below reaches the database.
        var rate = await limiter.TryAcquireAsync(CreationPartition(application.Id), _perApplicationPerMinute, at);
        if (!rate.Allowed)
            return OpenResult.Refused(ErrorCatalogue.RateLimitExceeded,
                $"An application may open {_perApplicationPerMinute} sessions a minute. Please wait until the next minute, or reuse the sessions you have: each lasts 2 hours.", rate);

        // Counted in the database so sessions opened on every instance count; concurrent opens can pass the
        // cap by at most how many run at once, and the creation rate above bounds those.
        DateTime? oldestExpiry = null;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var live = db.Sessions.Where(s => s.KeyPairId == keyPairId && s.ExpiresAt > now);
            if (await live.CountAsync(cancellationToken) >= _livePerKeyPair)
                oldestExpiry = await live.MinAsync(s => (DateTime?)s.ExpiresAt, cancellationToken);
        }
        if (oldestExpiry is { } frees)
            return OpenResult.Refused(ErrorCatalogue.SlotsFull,
                $"These keys already hold {_livePerKeyPair} live sessions, the most they may. Reuse one; the next slot frees when the oldest expires.",
                retryAfter: frees - now);

        var token = SessionToken.New(await store.GetTokenKeyAsync().WaitAsync(cancellationToken));
        var session = new Session
        {
            ApplicationId = application.Id,
            KeyPairId = keyPairId,
            TokenHash = SessionToken.HashHex(token),
            View = application.DefaultView,
            CreatedAt = now,
            ExpiresAt = now + Session.Lifetime,
            OpenedFrom = openedFrom is { Length: <= Session.AddressMaxLength } ? openedFrom : "",
        };
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            db.Sessions.Add(session);
            await db.SaveChangesAsync(cancellationToken);
        }
        // Other instances look the token up on its first use there.
        store.Add(session.TokenHash, LiveSession.From(session));
        return new OpenResult(new Opened(session.Id, token, session.ExpiresAt, session.View), null, "", null, null);
    }

    /// <summary>The rate-limit partition of session creation for one application (apart from its calls' partitions).</summary>
    public static string CreationPartition(Guid applicationId) => $"n:{applicationId}";

    public static bool IsValidView(string? view) =>
        view is { Length: > 0 and <= Application.ViewMaxLength } && ViewRegex().IsMatch(view);

    /// <summary>
    /// Changes the view of a live session; false (error 309 INVALID VIEW) when the name is not one of the application's views.
    /// The list is read from the in-memory directory, which the change feed keeps current.
    /// </summary>
    public async Task<bool> ChangeViewAsync(Guid sessionId, string? view, CancellationToken cancellationToken = default)
    {
        view = view?.Trim();
        if (!IsValidView(view)) return false;
        var session = store.FindById(sessionId) ?? throw new InvalidOperationException("The session is not known.");
        if (directory.Find(session.ApplicationId) is not { } application || !application.Views.Contains(view!)) return false;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            // The view and its change row commit together (SaveAsync commits), so every instance follows.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(set => set.SetProperty(s => s.View, view), cancellationToken);
            // Kept with the session's activity: the Sessions page shows when it changed and from what.
            db.SessionViewChanges.Add(new SessionViewChange { SessionId = sessionId, At = clock.GetUtcNow().UtcDateTime, FromView = session.View, ToView = view! });
            await changes.SaveAsync(db, ChangeTopic.Session, sessionId, cancellationToken);
        }
        session.View = view!;
        return true;
    }

    [GeneratedRegex(Application.ViewPattern)]
    private static partial Regex ViewRegex();
}
