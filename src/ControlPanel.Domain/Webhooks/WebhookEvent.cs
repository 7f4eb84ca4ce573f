using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Something that happened, stored in the same transaction as the change it reports (the outbox).
/// The dispatcher later fans it out into one <see cref="WebhookDelivery"/> per subscribed endpoint.
/// </summary>
public class WebhookEvent : IAccountOwned
{
    public const int NameMaxLength = 64;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid AccountId { get; set; }
    public Guid? ApplicationId { get; set; }
    public required string Name { get; set; }
    /// <summary>The "data" object of the body, as JSON.</summary>
    public required string DataJson { get; set; }
    public DateTime OccurredAt { get; set; }
    /// <summary>Null until deliveries have been created for it.</summary>
    public DateTime? FannedOutAt { get; set; }
}
