using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// One browser's sign-in: made when its cookie is first issued, whose claim carries the id, and kept through the cookie's
/// refreshes. Ending it (signing out) ends that browser's cookie and its open tabs on every instance; the other browsers
/// of the same user, each a sign-in of its own, go on.
/// </summary>
public class UserSignIn
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }

    /// <summary>
    /// The user's security stamp this sign-in holds: it stands while the user's stamp is the same. The user's own change
    /// of the stamp carries the sign-in they acted in over to the new stamp (<see cref="SignInEndings.SaveOwnChangeAsync"/>).
    /// </summary>
    public required string SecurityStamp { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>When the cookie was last used, to the hour (<see cref="SignIns.SeenEvery"/>); an idle sign-in is forgotten.</summary>
    public DateTime SeenAt { get; set; }

    public DateTime? EndedAt { get; set; }
}

/// <summary>
/// The browsers a user is signed in with (<see cref="UserSignIn"/>). The host records each cookie it issues, asks on each
/// request whether the cookie's sign-in still stands, and asks again in open circuits when the change feed says the
/// user's sign-ins changed (<see cref="SignInEndings"/>).
/// </summary>
public sealed class SignIns(ControlPanelDbContext db, ChangeFeed changes, TimeProvider clock)
{
    /// <summary>How often a sign-in's <see cref="UserSignIn.SeenAt"/> is written, at most: not on every request.</summary>
    public static readonly TimeSpan SeenEvery = TimeSpan.FromHours(1);

    /// <summary>A sign-in not used for this long is forgotten (its cookie, 14 days at most without use, has long expired).</summary>
    public static readonly TimeSpan ForgottenAfter = TimeSpan.FromDays(30);

    /// <summary>An ended sign-in is kept this long, then forgotten (its cookie is refused either way).</summary>
    public static readonly TimeSpan EndedKeptFor = TimeSpan.FromDays(1);

    /// <summary>
    /// A cookie is being issued for <paramref name="userId"/> holding <paramref name="stamp"/>: a new sign-in, or, when
    /// <paramref name="current"/> names one of the user's, the same sign-in refreshed (it now holds the stamp). An ended
    /// sign-in stays ended. Returns the sign-in's id for the cookie.
    /// </summary>
    public async Task<Guid> RecordAsync(Guid? current, string userId, string stamp)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var signIn = current is { } id ? await db.UserSignIns.SingleOrDefaultAsync(s => s.Id == id && s.UserId == userId) : null;
        if (signIn is null)
        {
            signIn = new UserSignIn { Id = Guid.NewGuid(), UserId = userId, SecurityStamp = stamp, StartedAt = now, SeenAt = now };
            db.UserSignIns.Add(signIn);
        }
        else if (signIn.EndedAt is null)
        {
            signIn.SecurityStamp = stamp;
            signIn.SeenAt = now;
        }
        await db.SaveChangesAsync();
        return signIn.Id;
    }

    /// <summary>
    /// Whether a cookie's sign-in still stands (the cookie's stamp is checked apart): not ended nor forgotten. Notes when it
    /// was used, at most every <see cref="SeenEvery"/>.
    /// </summary>
    public async Task<bool> IsLiveAsync(Guid id, string userId)
    {
        var signIn = await db.UserSignIns.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.UserId == userId);
        if (signIn is not { EndedAt: null }) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        if (now - signIn.SeenAt >= SeenEvery)
            await db.UserSignIns.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SeenAt, now));
        return true;
    }

    /// <summary>
    /// Whether an open circuit's sign-in still stands: not ended, and holding the user's present stamp (a circuit keeps the
    /// claims it started with, so the stamp the sign-in holds is asked, which the user's own change carries over).
    /// </summary>
    public async Task<bool> IsCurrentAsync(Guid id, ControlPanelUser user) =>
        await db.UserSignIns.AsNoTracking().AnyAsync(s => s.Id == id && s.UserId == user.Id && s.EndedAt == null && s.SecurityStamp == user.SecurityStamp);

    /// <summary>Signing out: ends the viewer's sign-in, and every instance ends its open tabs; their other browsers go on.</summary>
    public async Task EndAsync(Viewer viewer)
    {
        if (viewer.SignInId is not { } id) return;
        var signIn = await db.UserSignIns.SingleOrDefaultAsync(s => s.Id == id && s.UserId == viewer.UserId && s.EndedAt == null);
        if (signIn is null) return;
        signIn.EndedAt = clock.GetUtcNow().UtcDateTime;
        await SignInEndings.SaveAsync(changes, db, viewer.UserId);
    }

    /// <summary>Forgets ended and idle sign-ins (the retention job); returns how many.</summary>
    public static Task<int> ForgetOldAsync(ControlPanelDbContext db, DateTime now, CancellationToken cancellationToken = default)
    {
        var ended = now - EndedKeptFor;
        var idle = now - ForgottenAfter;
        return db.UserSignIns.Where(s => s.EndedAt < ended || s.SeenAt < idle).ExecuteDeleteAsync(cancellationToken);
    }
}
