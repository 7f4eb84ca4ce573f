using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Where an account's events are posted. Its secrets are kept encrypted with ASP.NET Core
/// Data Protection (they must be readable to sign and send, so they cannot be hashed like API keys).
/// </summary>
public class WebhookEndpoint : IAccountOwned
{
    public const int UrlMaxLength = 2048;
    public const int DescriptionMaxLength = 200;
    public const int EventsMaxLength = 400;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid AccountId { get; set; }
    public Account? Account { get; set; }
    public required string Url { get; set; }
    public string Description { get; set; } = "";
    public bool IsEnabled { get; set; } = true;
    /// <summary>Subscribed event names, comma-separated (see <see cref="WebhookEvents"/>).</summary>
    public string Events { get; set; } = "";
    /// <summary>The signing secret (<c>whsec_</c> + base64), protected by Data Protection; never shown after it is issued.</summary>
    public required string ProtectedSecret { get; set; }
    /// <summary>A public name for the signing secret in force, shown in the UI and the audit log; never sent.</summary>
    public required string SecretId { get; set; }
    public DateTime SecretCreatedAt { get; set; }
    /// <summary>The signing secret replaced by the last rotation, still signing beside the new one until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? ProtectedPreviousSecret { get; set; }
    public string? PreviousSecretId { get; set; }
    public DateTime? PreviousSecretExpiresAt { get; set; }
    /// <summary>
    /// The verification secret sent in each body's <c>secret</c> field (the seed's receivers compare it with theirs), protected by
    /// Data Protection. Null only for endpoints added before it existed: they keep sending <see cref="SecretId"/> there until one is set.
    /// </summary>
    public string? ProtectedVerificationSecret { get; set; }
    public DateTime? VerificationSecretSetAt { get; set; }

    /// <summary>True while the previous signing secret still signs, at <paramref name="now"/>.</summary>
    public bool PreviousSecretSigns(DateTime now) => ProtectedPreviousSecret is not null && PreviousSecretExpiresAt > now;
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? DisabledAt { get; set; }
    /// <summary>Deliveries per second the owner allows (a small receiver is not flooded when a backlog drains); null takes the admin's cap.</summary>
    public int? MaxDeliveriesPerSecond { get; set; }
    /// <summary>
    /// When it was deleted; null while it exists. Kept for the account's delivery log (which names it deleted) but hidden from every
    /// other query by the model's filter; nothing is sent to it again.
    /// </summary>
    public DateTime? DeletedAt { get; set; }

    /// <summary>How the delivery log names a deleted endpoint, after its URL.</summary>
    public const string DeletedSuffix = " (deleted)";

    /// <summary>Why the deliveries still waiting when it was deleted failed, as the delivery log shows it.</summary>
    public const string DeletedReason = "Not sent: the endpoint was deleted.";

    /// <summary>When the current run of failed attempts began; null after a delivered one or when re-enabled. Drives the time-based disable.</summary>
    public DateTime? FailingSince { get; set; }

    // What every instance's dispatcher has started to this endpoint, kept on its row so the throttle and the concurrency cap hold
    // across instances; written only by WebhookThrottle's conditional updates (see there for how they are read).

    /// <summary>Starts in the earlier of the two latest groups of starts (see <see cref="WebhookThrottle"/>).</summary>
    public int EarlierStarts { get; set; }
    /// <summary>The last start of the earlier group; null before any.</summary>
    public DateTime? EarlierStartAt { get; set; }
    /// <summary>Starts in the latest group.</summary>
    public int LatestStarts { get; set; }
    /// <summary>The last start of the latest group; null before any.</summary>
    public DateTime? LatestStartAt { get; set; }
    /// <summary>Attempts started and not yet finished, over all instances; counts only until <see cref="InFlightUntil"/>.</summary>
    public int AttemptsInFlight { get; set; }
    /// <summary>When the last lease of those attempts runs out: past it, an instance that died mid-attempt no longer holds a slot.</summary>
    public DateTime? InFlightUntil { get; set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Subscribes(string eventName) => EventList.Contains(eventName);

    /// <summary>The chosen events as stored: in the catalogue's order (<paramref name="subscribable"/>), unknown names left out.</summary>
    public static string JoinEvents(IEnumerable<string> events, IReadOnlyList<string> subscribable) =>
        string.Join(',', subscribable.Where(events.Contains));
}
