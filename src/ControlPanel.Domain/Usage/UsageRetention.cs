using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Usage;

/// <summary>Deletes usage past its retention: minute rows after <see cref="UsageOptions.MinuteRetentionDays"/>, day rows after <see cref="UsageOptions.DayRetentionDays"/>.</summary>
public sealed class UsageRetention(IDbContextFactory<ControlPanelDbContext> databases, IOptions<UsageOptions> options, TimeProvider clock)
{
    public sealed record Deleted(int MinuteRows, int DayRows);

    public async Task<Deleted> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var minuteCutoff = options.Value.MinuteCutoff(now);
        var oldestDay = options.Value.OldestDayKept(DateOnly.FromDateTime(now));
        await using var db = await databases.CreateDbContextAsync(cancellationToken);

        // A day at a time, so a first run after a long pause never holds the write lock (and the usage flush) for long.
        var minuteRows = 0;
        while (await db.UsageMinutes.MinAsync(m => (DateTime?)m.Minute, cancellationToken) is { } oldest && oldest < minuteCutoff)
        {
            var sliceEnd = oldest.AddDays(1) < minuteCutoff ? oldest.AddDays(1) : minuteCutoff;
            minuteRows += await db.UsageMinutes.Where(m => m.Minute < sliceEnd).ExecuteDeleteAsync(cancellationToken);
        }
        var dayRows = await db.UsageDays.Where(d => d.Day < oldestDay).ExecuteDeleteAsync(cancellationToken);
        await db.UsageApplicationDays.Where(d => d.Day < oldestDay).ExecuteDeleteAsync(cancellationToken);
        await db.UsageResourceDays.Where(d => d.Day < oldestDay).ExecuteDeleteAsync(cancellationToken);
        return new Deleted(minuteRows, dayRows);
    }
}
