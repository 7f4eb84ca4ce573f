using System.Linq.Expressions;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Each endpoint's throttle (deliveries per second) and concurrency cap (attempts in flight), held over all instances sharing the
/// database: both are kept on the endpoint's row, and each start is claimed with one conditional update of it
/// (<see cref="TryStartAsync"/>). A row update is atomic: SQLite writes one at a time, and PostgreSQL re-checks the condition on the
/// row it has locked, so instances claiming at once are taken one after another and together stay within both limits.
/// </summary>
/// <remarks>
/// <para>
/// Starts are counted in two groups, the earlier and the latest, each kept as its number of starts and its last start. A start at
/// <c>t</c> counts the earlier group only while its last start is less than a second old; once it is a second old, that group is
/// forgotten, the latest group becomes the earlier one and a new latest group begins. Every start forgotten is thus a second old or
/// more, so when the last start of any second was claimed every other start of that second was counted, and it was refused past the
/// rate: no second holds more than the rate, wherever it begins. The earlier group counts whole until its last start is a second old,
/// so a start a log of every start would allow may wait a little; a backlog, started in bursts, drains at the full rate.
/// </para>
/// <para>
/// Attempts in flight go up at each start and down when the attempt ends (<see cref="FinishedAsync"/>). Each start also moves
/// <see cref="WebhookEndpoint.InFlightUntil"/> to the end of its lease, and once that has passed the count is taken as zero: the
/// slots of an instance killed mid-attempt are free again once the endpoint's last lease has run out. Until then (on an endpoint
/// whose attempts keep starting, until it has a lease's length without one) they stay taken: fewer attempts run, never more.
/// </para>
/// </remarks>
public static class WebhookThrottle
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>What a pass reads of an endpoint to share out its starts; the claim itself decides (see <see cref="TryStartAsync"/>).</summary>
    public sealed record Standing(
        Guid EndpointId, int? OwnerPerSecond, int EarlierStarts, DateTime? EarlierStartAt, int LatestStarts, DateTime? LatestStartAt,
        int AttemptsInFlight, DateTime? InFlightUntil)
    {
        /// <summary>How many more attempts the endpoint may start at <paramref name="now"/>: within its throttle and its free slots.</summary>
        public int Room(DateTime now, WebhookOptions settings)
        {
            var secondAgo = now - Second;
            // As TryStartAsync counts: the earlier group while its last start is under a second old, else the latest group if it is.
            var lastSecond = EarlierStartAt > secondAgo ? EarlierStarts + LatestStarts : LatestStartAt > secondAgo ? LatestStarts : 0;
            var inFlight = InFlightUntil >= now ? AttemptsInFlight : 0;
            return Math.Max(0, Math.Min(settings.ThrottleFor(OwnerPerSecond) - lastSecond, settings.MaxConcurrencyPerEndpoint - inFlight));
        }
    }

    /// <summary>Reads an endpoint's <see cref="Standing"/> in a query.</summary>
    public static readonly Expression<Func<WebhookEndpoint, Standing>> Read = e => new Standing(
        e.Id, e.MaxDeliveriesPerSecond, e.EarlierStarts, e.EarlierStartAt, e.LatestStarts, e.LatestStartAt, e.AttemptsInFlight, e.InFlightUntil);

    /// <summary>
    /// Claims a start to the endpoint at <paramref name="now"/> if its last second holds fewer than <paramref name="perSecond"/> starts
    /// and fewer than <paramref name="maxInFlight"/> of its attempts are in flight; the attempt's lease ends at
    /// <paramref name="leasedUntil"/>. One statement; false when refused.
    /// </summary>
    public static async Task<bool> TryStartAsync(
        ControlPanelDbContext db, Guid endpointId, DateTime now, int perSecond, int maxInFlight, DateTime leasedUntil, CancellationToken cancellationToken)
    {
        var secondAgo = now - Second;
        // Deleted and disabled endpoints included: their deliveries still start, to be ended as not sent.
        var claimed = await db.WebhookEndpoints.IgnoreQueryFilters()
            .Where(e => e.Id == endpointId)
            .Where(e => (e.InFlightUntil == null || e.InFlightUntil < now ? 0 : e.AttemptsInFlight) < maxInFlight)
            // Either the earlier group is a second old (forgotten: the latest counts, if it is under a second old) or it counts too.
            .Where(e => e.EarlierStartAt == null || e.EarlierStartAt <= secondAgo
                ? (e.LatestStartAt > secondAgo ? e.LatestStarts : 0) < perSecond
                : e.EarlierStarts + e.LatestStarts < perSecond)
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.EarlierStarts, e => e.EarlierStartAt == null || e.EarlierStartAt <= secondAgo ? e.LatestStarts : e.EarlierStarts)
                .SetProperty(e => e.EarlierStartAt, e => e.EarlierStartAt == null || e.EarlierStartAt <= secondAgo ? e.LatestStartAt : e.EarlierStartAt)
                .SetProperty(e => e.LatestStarts, e => e.EarlierStartAt == null || e.EarlierStartAt <= secondAgo ? 1 : e.LatestStarts + 1)
                // The latest of the group's starts, should another instance's clock be ahead of this one's.
                .SetProperty(e => e.LatestStartAt, e => e.EarlierStartAt == null || e.EarlierStartAt <= secondAgo || e.LatestStartAt == null || e.LatestStartAt < now
                    ? now : e.LatestStartAt)
                .SetProperty(e => e.AttemptsInFlight, e => (e.InFlightUntil == null || e.InFlightUntil < now ? 0 : e.AttemptsInFlight) + 1)
                .SetProperty(e => e.InFlightUntil, e => e.InFlightUntil == null || e.InFlightUntil < leasedUntil ? leasedUntil : e.InFlightUntil),
                cancellationToken);
        return claimed == 1;
    }

    /// <summary>Frees the slot of an attempt <see cref="TryStartAsync"/> claimed, once it has ended (whatever became of it).</summary>
    public static Task FinishedAsync(ControlPanelDbContext db, Guid endpointId, CancellationToken cancellationToken) =>
        db.WebhookEndpoints.IgnoreQueryFilters().Where(e => e.Id == endpointId && e.AttemptsInFlight > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.AttemptsInFlight, e => e.AttemptsInFlight - 1), cancellationToken);
}
