using System.Text.RegularExpressions;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Requests;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Sessions;

/// <summary>Opening sessions and changing their view: the two writes behind the session endpoints.</summary>
public sealed partial class SessionService(IDbContextFactory<ControlPanelDbContext> databases, SessionStore store, ChangeFeed changes, TimeProvider clock)
{
    /// <summary>A new session; <see cref="Token"/> is the only time the token exists in plaintext.</summary>
    public sealed record Opened(Guid SessionId, string Token, DateTime ExpiresAt, string View)
    {
        public override string ToString() => $"Opened {{ SessionId = {SessionId}, ExpiresAt = {ExpiresAt:O} }}";
    }

    /// <summary>Opens a session for the keys of an allowed decision, starting on the application's default view.</summary>
    public async Task<Opened> OpenAsync(Decision decision, CancellationToken cancellationToken = default)
    {
        if (!decision.Allowed || decision.Application is not { } application || decision.KeyPairId is not { } keyPairId)
            throw new InvalidOperationException("Only an allowed decision opens a session.");

        var now = clock.GetUtcNow().UtcDateTime;
        var token = SessionToken.New();
        var session = new Session
        {
            ApplicationId = application.Id,
            KeyPairId = keyPairId,
            TokenHash = SessionToken.HashHex(token),
            View = application.DefaultView,
            CreatedAt = now,
            ExpiresAt = now + Session.Lifetime,
        };
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            db.Sessions.Add(session);
            await db.SaveChangesAsync(cancellationToken);
        }
        // Other instances look the token up on its first use there.
        store.Add(session.TokenHash, LiveSession.From(session));
        return new Opened(session.Id, token, session.ExpiresAt, session.View);
    }

    public static bool IsValidView(string? view) =>
        view is { Length: > 0 and <= Application.ViewMaxLength } && ViewRegex().IsMatch(view);

    /// <summary>Changes the view of a live session; false (error 309 INVALID VIEW) when the name is not a view name.</summary>
    public async Task<bool> ChangeViewAsync(Guid sessionId, string? view, CancellationToken cancellationToken = default)
    {
        view = view?.Trim();
        if (!IsValidView(view)) return false;
        var session = store.FindById(sessionId) ?? throw new InvalidOperationException("The session is not known.");
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            // The view and its change row commit together (SaveAsync commits), so every instance follows.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(set => set.SetProperty(s => s.View, view), cancellationToken);
            await changes.SaveAsync(db, ChangeTopic.Session, sessionId, cancellationToken);
        }
        session.View = view!;
        return true;
    }

    [GeneratedRegex(Application.ViewPattern)]
    private static partial Regex ViewRegex();
}
