namespace ControlPanel.Api.Tests.Cluster;

/// <summary>
/// The cluster tests start several app processes and measure timings, so they run alone, after the
/// other tests. Most share one cluster; the failover test kills an instance, so it has its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ClusterCollection.ThreeInstances>
{
    public const string Name = "cluster";

    public sealed class ThreeInstances() : AppCluster(3, WebhookSettings);

    /// <summary>Receivers on loopback, and every instance polling often so they compete for each delivery and retry.</summary>
    public static readonly IReadOnlyDictionary<string, string> WebhookSettings = new Dictionary<string, string>
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowPrivateAddresses"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:RetryInterval"] = "00:00:00.300",
        ["Webhooks:MaxAttempts"] = "3",
    };
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFailoverCollection
{
    public const string Name = "cluster failover";
}
