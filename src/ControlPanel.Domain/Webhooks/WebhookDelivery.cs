using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Webhooks;

public enum WebhookDeliveryStatus { Pending, Delivered, Retrying, Failed }

/// <summary>
/// One event on its way to one endpoint. Stored before the first attempt, so a crash or restart
/// resumes it; its id is the message id receivers de-duplicate on (the same on every attempt).
/// </summary>
public class WebhookDelivery : IAccountOwned
{
    public const int ErrorMaxLength = 500;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid EventId { get; set; }
    public WebhookEvent? Event { get; set; }
    public Guid EndpointId { get; set; }
    public WebhookEndpoint? Endpoint { get; set; }
    /// <summary>Copied from the event so the log filters without joins.</summary>
    public Guid AccountId { get; set; }
    public required string EventName { get; set; }

    public WebhookDeliveryStatus Status { get; set; } = WebhookDeliveryStatus.Pending;
    public int Attempts { get; set; }
    /// <summary>Set by a manual resend of a finished delivery: it gets this many attempts in all, not the configured number.</summary>
    public int? AttemptLimit { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the next attempt is due; null once delivered or failed.</summary>
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public int? LastHttpStatus { get; set; }
    public string? LastError { get; set; }
    /// <summary>While an attempt runs, no other worker takes the delivery; a crashed worker's lease simply runs out.</summary>
    public DateTime? LeasedUntil { get; set; }
    /// <summary>The replay that last queued this delivery again, for its progress and cancel.</summary>
    public Guid? ReplayId { get; set; }

    public bool IsFinished => Status is WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.Failed;
}
