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
    /// Saves a change of the security stamp the user made themselves (their password, two-factor) in <paramref name="db"/>'s
    /// unit of work: their other sign-ins end, the one they acted in (<paramref name="acting"/>, when they acted in a browser)
    /// is carried over to the new stamp, and every instance's open circuits of the user re-check at once, so the acting
    /// browser's tabs go on and the others end.
    /// </summary>
    public static async Task SaveOwnChangeAsync(ChangeFeed changes, ControlPanelDbContext db, ControlPanelUser user, Guid? acting, DateTime now)
    {
        foreach (var signIn in await db.UserSignIns.Where(s => s.UserId == user.Id && s.EndedAt == null).ToListAsync())
        {
            if (signIn.Id == acting) signIn.SecurityStamp = user.SecurityStamp ?? "";
            else signIn.EndedAt = now;
        }
        await SaveAsync(changes, db, user.Id);
    }

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
