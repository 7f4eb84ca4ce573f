using ControlPanel.Domain.Accounts;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace ControlPanel.Web.Gateway;

/// <summary>
/// What the Gateway page shows: YARP's live routes, clusters and destinations with their health, read-only (the
/// configuration lives in appsettings.json or the environment). Admins only: it names the platform's internal addresses.
/// </summary>
public sealed class GatewayStatus(IServiceProvider services, IOptions<GatewayOptions> options)
{
    public sealed record RouteRow(string Id, string Path, string Methods, string Hosts, string ClusterId, bool Checked, bool KeepsCredentials);

    public sealed record DestinationRow(string Id, string Address, DestinationHealth Active, DestinationHealth Passive, bool Available, int ConcurrentRequests);

    public sealed record ClusterRow(string Id, string LoadBalancing, bool ActiveHealthChecks, bool PassiveHealthChecks, IReadOnlyList<DestinationRow> Destinations);

    public sealed record Snapshot(bool On, IReadOnlyList<string> Urls, IReadOnlyList<RouteRow> Routes, IReadOnlyList<ClusterRow> Clusters);

    public Snapshot Read(Viewer viewer)
    {
        if (!viewer.IsAdmin) throw new AccessDeniedException();
        if (services.GetService<IProxyStateLookup>() is not { } proxy) return new Snapshot(false, [], [], []);

        var routes = proxy.GetRoutes().Select(r => r.Config).OrderBy(r => r.RouteId, StringComparer.Ordinal).Select(r => new RouteRow(
            r.RouteId,
            r.Match.Path ?? "(any)",
            r.Match.Methods is { Count: > 0 } methods ? string.Join(", ", methods) : "any",
            r.Match.Hosts is { Count: > 0 } hosts ? string.Join(", ", hosts) : "any",
            r.ClusterId ?? "",
            GatewayCheck.IsChecked(r.Metadata),
            GatewayCheck.KeepsCredentials(r.Metadata))).ToList();

        var clusters = proxy.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal).Select(c =>
        {
            var config = c.Model.Config;
            var available = c.DestinationsState?.AvailableDestinations ?? [];
            var destinations = c.Destinations.Values.OrderBy(d => d.DestinationId, StringComparer.Ordinal).Select(d => new DestinationRow(
                d.DestinationId, d.Model.Config.Address, d.Health.Active, d.Health.Passive, available.Contains(d), d.ConcurrentRequestCount)).ToList();
            return new ClusterRow(c.ClusterId, config.LoadBalancingPolicy ?? "PowerOfTwoChoices",
                config.HealthCheck?.Active?.Enabled == true, config.HealthCheck?.Passive?.Enabled == true, destinations);
        }).ToList();

        return new Snapshot(true, options.Value.Urls, routes, clusters);
    }
}
