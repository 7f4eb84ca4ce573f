namespace ControlPanel.Domain.Webhooks;

public enum WebhookAttemptOutcome
{
    /// <summary>A 2xx answer within the timeout.</summary>
    Delivered,
    /// <summary>An answer other than 2xx.</summary>
    HttpError,
    Timeout,
    /// <summary>The connection was refused or reset.</summary>
    Refused,
    Tls,
    Dns,
    /// <summary>The host resolved to an address webhooks may not reach (loopback, private, link-local, metadata).</summary>
    Blocked,
    Error,
}

/// <summary>One HTTP attempt of a delivery, as the log shows it.</summary>
public class WebhookAttempt
{
    /// <summary>How much of the receiver's answer is kept.</summary>
    public const int ResponseBodyMaxBytes = 4096;
    public const int ErrorMaxLength = 500;

    public long Id { get; set; }
    public Guid DeliveryId { get; set; }
    /// <summary>Copied from the delivery for the per-endpoint success-rate chart.</summary>
    public Guid EndpointId { get; set; }
    public int Number { get; set; }
    public DateTime StartedAt { get; set; }
    public int DurationMs { get; set; }
    public int? HttpStatus { get; set; }
    public WebhookAttemptOutcome Outcome { get; set; }
    public string? ResponseBody { get; set; }
    public string? Error { get; set; }

    public bool Succeeded => Outcome == WebhookAttemptOutcome.Delivered;
}
