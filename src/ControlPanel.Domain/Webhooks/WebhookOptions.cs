using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Domain.Webhooks;

/// <summary>The "Webhooks" section of appsettings.json. The defaults follow the seed: 30 s to answer, hourly retries for 24 hours.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Accept http:// endpoint URLs. For development and tests only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Allow endpoints on loopback, private, link-local and metadata addresses. For development and tests only.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How long a receiver has to answer (connect, headers and the first 4 KB of body).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait between a failed attempt and the next one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts in all before a delivery is marked failed: the first plus 24 hourly retries covers 24 hours.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 25;

    /// <summary>Attempts in flight at once on this instance, over all endpoints.</summary>
    [Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Attempts in flight at once to one endpoint over all instances, so a slow receiver holds up only its own deliveries.</summary>
    [Range(1, 100)]
    public int MaxConcurrencyPerEndpoint { get; set; } = 4;

    /// <summary>How often the dispatcher looks for new events and due deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest body the platform's event intake reads; larger ones answer 400 (117) unread past the limit.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxEventBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Events older than this (days) are deleted with their deliveries and attempts, once no delivery of theirs is still waiting.</summary>
    [Range(1, 36500)]
    public int EventRetentionDays { get; set; } = 30;

    /// <summary>Finished deliveries (delivered or failed) created longer ago than this (days) are deleted with their attempts.</summary>
    [Range(1, 36500)]
    public int DeliveryRetentionDays { get; set; } = 30;

    /// <summary>Attempts older than this (days) are deleted; the endpoint page charts the last 30 days.</summary>
    [Range(1, 36500)]
    public int AttemptRetentionDays { get; set; } = 30;

    /// <summary>
    /// An endpoint whose last this-many finished deliveries all failed (each after its whole retry schedule) is disabled, and its
    /// account's owners are told, so a receiver gone for good stops collecting retries. 0 never disables one.
    /// </summary>
    [Range(0, 10_000)]
    public int DisableAfterFailedDeliveries { get; set; } = 10;

    /// <summary>
    /// The most deliveries per second any endpoint gets, over all instances: an owner may set their endpoint lower, never higher; an
    /// endpoint with none set gets this.
    /// </summary>
    [Range(1, 1000)]
    public int MaxDeliveriesPerSecond { get; set; } = 10;

    /// <summary>
    /// An endpoint whose every attempt has failed for this long is disabled like one past <see cref="DisableAfterFailedDeliveries"/>,
    /// so an endpoint that fails slowly (an event a week) is not kept for weeks. Zero never disables one this way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>The deliveries per second an endpoint gets: what its owner set, within <see cref="MaxDeliveriesPerSecond"/>.</summary>
    public int ThrottleFor(int? ownerSet) => Math.Clamp(ownerSet ?? MaxDeliveriesPerSecond, 1, MaxDeliveriesPerSecond);

    /// <summary>How long an attempt holds its delivery; past it, a crashed worker's delivery is taken up again.</summary>
    public TimeSpan Lease => Timeout * 2 + TimeSpan.FromSeconds(5);
}
