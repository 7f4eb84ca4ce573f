using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Ends a user's sign-ins everywhere, after a password reset or change, two-factor turned off, a role lost, or an Admin
/// disabling them: their access tokens are revoked in the change's own unit of work (every instance reads tokens from
/// the database), and the change feed tells every instance (<see cref="ChangeTopic.UserSignIns"/>), whose open circuits
/// of that user re-check their sign-in at once instead of at the next periodic check. The caller changes the security
/// stamp, which ends the cookies.
/// </summary>
public sealed class SignInEndings : IChangeSubscriber
{
    private readonly ChangeWatchers<string> _watchers = new();

    public ChangeTopic Topic => ChangeTopic.UserSignIns;

    /// <summary>Revokes the user's live access tokens in <paramref name="db"/> (saved with the change); returns how many.</summary>
    public static async Task<int> RevokeTokensAsync(ControlPanelDbContext db, string userId, DateTime now)
    {
        var live = await db.AccessTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync();
        foreach (var token in live) token.RevokedAt = now;
        return live.Count;
    }

    /// <summary>
    /// Saves <paramref name="db"/>'s unit of work (committing its transaction) with the change that tells every instance the
    /// user's sign-ins ended.
    /// </summary>
    public static Task SaveAsync(ChangeFeed changes, ControlPanelDbContext db, string userId) =>
        Guid.TryParse(userId, out var subject)
            ? changes.SaveAsync(db, ChangeTopic.UserSignIns, subject)
            : SaveWithoutNoticeAsync(db);

    /// <summary>
    /// Saves a change the user made themselves in this browser (their password, two-factor off) without telling open
    /// circuits: the acting tab's own circuit still holds the old security stamp and would be signed out with the others.
    /// Every other browser's cookie ends at its next request (the stamp is checked on each), open circuits at the periodic check.
    /// </summary>
    public static Task SaveOwnChangeAsync(ControlPanelDbContext db) => SaveWithoutNoticeAsync(db);

    // Identity's ids are GUIDs; a user made otherwise still has the change saved, and their circuits end at the periodic check.
    private static async Task SaveWithoutNoticeAsync(ControlPanelDbContext db)
    {
        await db.SaveChangesAsync();
        if (db.Database.CurrentTransaction is { } transaction) await transaction.CommitAsync();
    }

    /// <summary>Calls <paramref name="ended"/> with the user's id whenever some user's sign-ins end, on any instance, until disposed.</summary>
    public IDisposable Watch(Func<string, Task> ended) => _watchers.Watch(ended);

    // A circuit that cannot re-check (its connection gone) is still covered by the periodic check.
    public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) =>
        subjectId is { } subject ? _watchers.NotifyAsync(subject.ToString()) : Task.CompletedTask;
}
