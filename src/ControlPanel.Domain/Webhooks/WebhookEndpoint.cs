using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Where an account's events are posted. The signing secret is kept encrypted with ASP.NET Core
/// Data Protection (it must be readable to sign, so it cannot be hashed like API keys).
/// </summary>
public class WebhookEndpoint
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
    /// <summary>The signing secret, protected by Data Protection; never shown after it is issued.</summary>
    public required string ProtectedSecret { get; set; }
    /// <summary>A public name for the secret in force, sent in the body's "secret" field (see README).</summary>
    public required string SecretId { get; set; }
    public DateTime SecretCreatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? DisabledAt { get; set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Subscribes(string eventName) => EventList.Contains(eventName);

    public static string JoinEvents(IEnumerable<string> events) =>
        string.Join(',', WebhookEvents.Subscribable.Where(events.Contains));
}
