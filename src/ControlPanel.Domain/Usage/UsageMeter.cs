using System.Runtime.CompilerServices;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Resources;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Usage;

/// <summary>
/// Counts every check decision in memory per (application, key pair, environment, outcome, UTC
/// minute, counted, resource) and adds the counts to <see cref="UsageMinute"/> rows when flushed (every
/// second and on shutdown, by the host). Recording a call allocates nothing once its minute's
/// counter exists. Each flush also adds the same counts to the <see cref="UsageDay"/> rollup (and, by resource, to
/// <see cref="UsageResourceDay"/>), in the same transaction, so reports never aggregate raw minutes for history.
/// </summary>
public sealed class UsageMeter(IDbContextFactory<ControlPanelDbContext> databases)
{
    private static readonly long MinuteTicks = TimeSpan.TicksPerMinute;

    /// <summary>
    /// Adds one application's day, by outcome, to its history row: a format string whose {0}, {1}… are the application,
    /// day, environment, each outcome's calls in the list's order, the total and the counted calls.
    /// </summary>
    private static readonly string AddToApplicationDaySql = ApplicationDaySql();

    private static string ApplicationDaySql()
    {
        string[] keys = ["ApplicationId", "Day", "Environment"];
        string[] sums = [.. UsageOutcomes.Definitions.Select(d => d.Column), "Total", "Counted"];
        var columns = string.Join(", ", keys.Concat(sums).Select(c => $"\"{c}\""));
        var values = string.Join(", ", keys.Concat(sums).Select((_, i) => $"{{{i}}}"));
        var additions = string.Join(",\n    ", sums.Select(c => $"\"{c}\" = \"UsageApplicationDays\".\"{c}\" + excluded.\"{c}\""));
        return $"""
            INSERT INTO "UsageApplicationDays" ({columns})
            VALUES ({values})
            ON CONFLICT ("ApplicationId", "Day", "Environment") DO UPDATE SET
                {additions}
            """;
    }

    private readonly MinuteCounts<UsageKey> _counts = new(static key => key.MinuteTicks);

    public readonly record struct UsageKey(Guid ApplicationId, Guid KeyPairId, ApplicationEnvironment? Environment, int Outcome, long MinuteTicks, bool Counted, Guid ResourceId);

    /// <param name="resourceId">The catalogue's resource the call was; left out, the default resource.</param>
    public void Record(Guid? applicationId, Guid? keyPairId, ApplicationEnvironment? environment, int outcome, bool counted, DateTime at, Guid? resourceId = null) =>
        _counts.Add(new UsageKey(applicationId ?? Guid.Empty, keyPairId ?? Guid.Empty, environment, outcome, at.Ticks - (at.Ticks % MinuteTicks), counted, resourceId ?? Resource.DefaultId), 1);

    /// <summary>
    /// Moves one call recorded at <paramref name="at"/> from one outcome to another (an allowed call whose upstream then
    /// failed): the minute's counts go down by one for the first and up by one for the second, in the same flush or the next.
    /// </summary>
    public void Reclassify(Guid applicationId, Guid keyPairId, ApplicationEnvironment? environment, int fromOutcome, bool fromCounted, int toOutcome, bool toCounted, DateTime at,
        Guid? resourceId = null)
    {
        var minute = at.Ticks - (at.Ticks % MinuteTicks);
        var resource = resourceId ?? Resource.DefaultId;
        _counts.Add(new UsageKey(applicationId, keyPairId, environment, fromOutcome, minute, fromCounted, resource), -1);
        _counts.Add(new UsageKey(applicationId, keyPairId, environment, toOutcome, minute, toCounted, resource), 1);
    }

    /// <summary>Calls recorded and not yet flushed, per key (for tests and diagnostics).</summary>
    public IReadOnlyDictionary<UsageKey, long> Pending() => _counts.Pending();

    /// <summary>Adds the counts gathered since the last flush to the database; on failure they are kept for the next one.</summary>
    public async Task FlushAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        var batch = _counts.Take(now);
        if (batch.Count == 0) return;

        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var minutes = new Dictionary<(Guid ApplicationId, DateTime Minute, Guid KeyPairId, string Environment, int Outcome, bool Counted), long>();
            var days = new Dictionary<(Guid ApplicationId, DateOnly Day, string Environment, int Outcome, bool Counted), long>();
            var resourceDays = new Dictionary<(Guid ApplicationId, DateOnly Day, string Environment, Guid ResourceId, int Outcome), long>();
            foreach (var (key, calls) in batch.Counts)
            {
                var minute = new DateTime(key.MinuteTicks, DateTimeKind.Utc);
                var environment = key.Environment?.ToString() ?? "";
                var minuteKey = (key.ApplicationId, minute, key.KeyPairId, environment, key.Outcome, key.Counted);
                minutes[minuteKey] = minutes.GetValueOrDefault(minuteKey) + calls;
                var dayKey = (key.ApplicationId, DateOnly.FromDateTime(minute), environment, key.Outcome, key.Counted);
                days[dayKey] = days.GetValueOrDefault(dayKey) + calls;
                var resourceKey = (key.ApplicationId, DateOnly.FromDateTime(minute), environment, key.ResourceId, key.Outcome);
                resourceDays[resourceKey] = resourceDays.GetValueOrDefault(resourceKey) + calls;
            }
            // Minute rows keep the key pair and drop the resource (which the resource day rows keep).
            foreach (var ((applicationId, minute, keyPairId, environment, outcome, counted), calls) in minutes)
                // Adds to the row, so several flushes (or instances) of one minute sum up.
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "UsageMinutes" ("ApplicationId", "Minute", "KeyPairId", "Environment", "Outcome", "Counted", "Calls")
                    VALUES ({applicationId}, {minute}, {keyPairId}, {environment}, {outcome}, {counted}, {calls})
                    ON CONFLICT ("ApplicationId", "Minute", "KeyPairId", "Environment", "Outcome", "Counted")
                    DO UPDATE SET "Calls" = "UsageMinutes"."Calls" + excluded."Calls"
                    """, cancellationToken);
            foreach (var ((applicationId, day, environment, resourceId, outcome), calls) in resourceDays)
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "UsageResourceDays" ("ApplicationId", "Day", "Environment", "ResourceId", "Outcome", "Calls")
                    VALUES ({applicationId}, {day}, {environment}, {resourceId}, {outcome}, {calls})
                    ON CONFLICT ("ApplicationId", "Day", "Environment", "ResourceId", "Outcome")
                    DO UPDATE SET "Calls" = "UsageResourceDays"."Calls" + excluded."Calls"
                    """, cancellationToken);
            // The day rollup drops the key pair, so a batch's minutes fold into far fewer day rows.
            foreach (var ((applicationId, day, environment, outcome, counted), calls) in days)
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "UsageDays" ("ApplicationId", "Day", "Environment", "Outcome", "Counted", "Calls")
                    VALUES ({applicationId}, {day}, {environment}, {outcome}, {counted}, {calls})
                    ON CONFLICT ("ApplicationId", "Day", "Environment", "Outcome", "Counted")
                    DO UPDATE SET "Calls" = "UsageDays"."Calls" + excluded."Calls"
                    """, cancellationToken);
            // And into the history's rows: one per application, day and environment, by outcome.
            foreach (var row in days.GroupBy(d => (d.Key.ApplicationId, d.Key.Day, d.Key.Environment)))
            {
                var builder = new UsageCounts.Builder(row.Key.Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
                foreach (var ((_, _, _, outcome, counted), calls) in row) builder.Add(outcome, counted, calls);
                var c = builder.Build();
                object[] values = [row.Key.ApplicationId, row.Key.Day, row.Key.Environment, .. UsageOutcomes.All.Select(o => (object)c[o]), c.Total, c.Counted];
                await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(AddToApplicationDaySql, values), cancellationToken);
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
