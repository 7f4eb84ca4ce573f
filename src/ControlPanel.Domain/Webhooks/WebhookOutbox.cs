using System.Text;
using System.Text.Json;
using ControlPanel.Domain.Data;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Where the domain raises webhook events. <see cref="Enqueue"/> only adds the event to the caller's
/// unit of work, so it is saved, or not, together with the change it reports; the dispatcher
/// delivers it afterwards. No database read, so it is cheap to call on any path.
/// </summary>
public static class WebhookOutbox
{
    /// <summary>Property names in snake_case, as the seed's body ("event_name").</summary>
    public static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Adds an event for the account's subscribed endpoints. <paramref name="data"/> becomes the
    /// body's "data" object: an anonymous object (names turned to snake_case) or a JsonElement as is.
    /// </summary>
    public static WebhookEvent Enqueue(ControlPanelDbContext db, Guid accountId, Guid? applicationId, string eventName, object data, DateTime occurredAt)
    {
        if (!WebhookEvents.IsSubscribable(eventName)) throw new ArgumentException($"Unknown webhook event \"{eventName}\".", nameof(eventName));
        return Add(db, accountId, applicationId, eventName, data, occurredAt);
    }

    /// <summary>Adds an event whose name the caller has checked against the catalogue (the platform's intake).</summary>
    internal static WebhookEvent Add(ControlPanelDbContext db, Guid accountId, Guid? applicationId, string eventName, object data, DateTime occurredAt)
    {
        var webhookEvent = new WebhookEvent
        {
            AccountId = accountId,
            ApplicationId = applicationId,
            Name = eventName,
            DataJson = JsonSerializer.Serialize(data, DataJson),
            OccurredAt = occurredAt,
        };
        db.WebhookEvents.Add(webhookEvent);
        return webhookEvent;
    }

    /// <summary>The body posted to receivers, shaped as the seed: {"event_name", "secret", "data"}, the endpoint's verification secret in "secret".</summary>
    public static byte[] Body(string eventName, string secret, string dataJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event_name", eventName);
            writer.WriteString("secret", secret);
            writer.WritePropertyName("data");
            writer.WriteRawValue(dataJson);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    internal static string Truncate(string? text, int max) => text is null || text.Length <= max ? text ?? "" : text[..max];

    internal static string DecodeStart(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
