using ControlPanel.Domain.Data;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Sessions;

/// <summary>
/// Counts the calls made with each session in memory per (session, resource, outcome, UTC minute) and adds the counts to
/// <see cref="SessionActivityMinute"/> rows when flushed (every second and on shutdown, with the usage meter), so a
/// session's activity costs the check no database write and, once its minute's counter exists, no allocation.
/// </summary>
public sealed class SessionActivityMeter(IDbContextFactory<ControlPanelDbContext> databases)
{
    private static readonly long MinuteTicks = TimeSpan.TicksPerMinute;

    private readonly MinuteCounts<ActivityKey> _counts = new(static key => key.MinuteTicks);

    public readonly record struct ActivityKey(Guid SessionId, Guid ResourceId, int Outcome, long MinuteTicks);

    public void Record(Guid sessionId, Guid resourceId, int outcome, DateTime at) =>
        _counts.Add(new ActivityKey(sessionId, resourceId, outcome, at.Ticks - (at.Ticks % MinuteTicks)), 1);

    /// <summary>Moves one call recorded at <paramref name="at"/> from one outcome to another (an allowed call whose upstream then failed).</summary>
    public void Reclassify(Guid sessionId, Guid resourceId, int fromOutcome, int toOutcome, DateTime at)
    {
        var minute = at.Ticks - (at.Ticks % MinuteTicks);
        _counts.Add(new ActivityKey(sessionId, resourceId, fromOutcome, minute), -1);
        _counts.Add(new ActivityKey(sessionId, resourceId, toOutcome, minute), 1);
    }

    /// <summary>Calls recorded and not yet flushed, per key (for tests and diagnostics).</summary>
    public IReadOnlyDictionary<ActivityKey, long> Pending() => _counts.Pending();

    /// <summary>Adds the counts gathered since the last flush to the database; on failure they are kept for the next one.</summary>
    public async Task FlushAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        var batch = _counts.Take(now);
        if (batch.Count == 0) return;

        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (key, calls) in batch.Counts)
            {
                var minute = new DateTime(key.MinuteTicks, DateTimeKind.Utc);
                // Adds to the row, so several flushes (or instances) of one minute sum up.
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "SessionActivity" ("SessionId", "Minute", "ResourceId", "Outcome", "Calls")
                    VALUES ({key.SessionId}, {minute}, {key.ResourceId}, {key.Outcome}, {calls})
                    ON CONFLICT ("SessionId", "Minute", "ResourceId", "Outcome")
                    DO UPDATE SET "Calls" = "SessionActivity"."Calls" + excluded."Calls"
                    """, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            _counts.Restore(batch);
            throw;
        }
    }
}
