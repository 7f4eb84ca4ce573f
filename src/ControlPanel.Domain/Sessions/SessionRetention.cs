using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Sessions;

/// <summary>Deletes sessions, their view changes and their activity <see cref="SessionOptions.ActivityRetentionDays"/> after they ended (hourly, by the host's sweeper).</summary>
public sealed class SessionRetention(IDbContextFactory<ControlPanelDbContext> databases, IOptions<SessionOptions> options, TimeProvider clock)
{
    public sealed record Deleted(int Sessions, int ActivityRows);

    public async Task<Deleted> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = options.Value.Cutoff(clock.GetUtcNow().UtcDateTime);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // View changes first: they belong to sessions about to go (and some providers do not cascade a bulk delete).
        await db.SessionViewChanges.Where(c => db.Sessions.Any(s => s.Id == c.SessionId && s.ExpiresAt < cutoff)).ExecuteDeleteAsync(cancellationToken);
        var sessions = await db.Sessions.Where(s => s.ExpiresAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        var activity = await db.SessionActivity.Where(a => a.Minute < cutoff).ExecuteDeleteAsync(cancellationToken);
        return new Deleted(sessions, activity);
    }
}
