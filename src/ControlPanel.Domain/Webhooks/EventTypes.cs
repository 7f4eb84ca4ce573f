namespace ControlPanel.Domain.Webhooks;

/// <summary>Who raises an event: the control panel itself, or the platform through <c>POST /api/v1/webhooks/events</c>.</summary>
public enum EventSource { ControlPanel, Platform }

/// <summary>
/// One event type as the catalogue publishes it: the shape of its <c>data</c> as a JSON Schema (draft 2020-12) and an example
/// that meets it. <see cref="Version"/> goes up whenever the schema changes.
/// </summary>
public sealed record EventType(string Name, string Description, EventSource Source, int Version, string SchemaJson, string ExampleJson)
{
    /// <summary>Added by an administrator in the panel (a platform event), rather than shipped with the release.</summary>
    public bool IsCustom { get; init; }
}

/// <summary>
/// The event types shipped with the release, each with its schema and example: the one place their shape is written down.
/// The control panel's own events are raised by the domain (<see cref="WebhookOutbox"/>); a test checks that what it raises
/// meets these schemas. Administrators may add more platform event types in the panel (<see cref="EventCatalogue"/>).
/// </summary>
public static class EventTypes
{
    private const string Draft = "https://json-schema.org/draft/2020-12/schema";

    private static string Schema(string title, string required, string properties) => $$"""
        {
          "$schema": "{{Draft}}",
          "title": "{{title}}",
          "type": "object",
          "required": [{{required}}],
          "properties": {
        {{properties}}
          }
        }
        """;

    private const string ApplicationProperties = """
            "application_id": { "type": "string", "format": "uuid", "description": "The application's id." },
            "application_name": { "type": "string", "description": "The application's name when the event happened." },
        """;

    public static readonly IReadOnlyList<EventType> BuiltIn =
    [
        new(WebhookEvents.ChatEnded, "A chat was ended (posted by the platform).", EventSource.Platform, 1,
            Schema("chat_ended", "\"chat_id\"", """
                "chat_id": { "type": "string", "minLength": 1, "maxLength": 200, "description": "The platform's id of the chat." },
                "ended_at": { "type": "string", "format": "date-time", "description": "When the chat ended (UTC, ISO 8601)." },
                "duration_seconds": { "type": "integer", "minimum": 0, "description": "How long the chat lasted." },
                "agent_id": { "type": "string", "description": "The agent who ended it, if any." },
                "visitor_id": { "type": "string", "description": "The visitor's id." }
            """),
            """{"chat_id":"c-42","ended_at":"2026-12-07T14:00:00Z","duration_seconds":312,"agent_id":"a-7","visitor_id":"v-1001"}"""),
        new(WebhookEvents.OfflineMessage, "An offline message was sent (posted by the platform).", EventSource.Platform, 1,
            Schema("offline_message", "\"message\"", """
                "message": { "type": "string", "maxLength": 20000, "description": "What the visitor wrote." },
                "visitor_name": { "type": "string", "description": "The name the visitor gave." },
                "visitor_email": { "type": "string", "format": "email", "description": "Where to answer." },
                "sent_at": { "type": "string", "format": "date-time", "description": "When it was sent (UTC, ISO 8601)." }
            """),
            """{"message":"Hello, are you open on Sunday?","visitor_name":"Ann","visitor_email":"ann@example.com","sent_at":"2026-12-07T14:00:00Z"}"""),
        new(WebhookEvents.KeyRotated, WebhookEvents.Describe(WebhookEvents.KeyRotated) + ".", EventSource.ControlPanel, 1,
            Schema("key_rotated", "\"application_id\", \"key_pair_id\", \"application_key_last4\", \"rotated_by\", \"rotated_at\"", ApplicationProperties + """
                "key_pair_id": { "type": "string", "format": "uuid", "description": "The new key pair." },
                "application_key_last4": { "type": "string", "description": "The new application key's last four characters." },
                "previous_pairs_expire_at": { "type": ["string", "null"], "format": "date-time", "description": "When the replaced pairs stop working; null when there were none." },
                "rotated_by": { "type": "string" },
                "rotated_at": { "type": "string", "format": "date-time" }
            """),
            """{"application_id":"6f1c2b1e-0d3a-4c55-9a43-0c8b6f2f7d10","application_name":"Storefront","key_pair_id":"0b9f3f2a-7d4e-4a61-8f0e-2a5b9c1d3e47","application_key_last4":"x9Qa","previous_pairs_expire_at":"2026-12-08T14:00:00Z","rotated_by":"Olivia Owner","rotated_at":"2026-12-07T14:00:00Z"}"""),
        new(WebhookEvents.KeyRevoked, WebhookEvents.Describe(WebhookEvents.KeyRevoked) + ".", EventSource.ControlPanel, 1,
            Schema("key_revoked", "\"application_id\", \"key_pair_id\", \"application_key_last4\", \"revoked_by\", \"revoked_at\"", ApplicationProperties + """
                "key_pair_id": { "type": "string", "format": "uuid" },
                "application_key_last4": { "type": "string" },
                "revoked_by": { "type": "string" },
                "revoked_at": { "type": "string", "format": "date-time" }
            """),
            """{"application_id":"6f1c2b1e-0d3a-4c55-9a43-0c8b6f2f7d10","application_name":"Storefront","key_pair_id":"0b9f3f2a-7d4e-4a61-8f0e-2a5b9c1d3e47","application_key_last4":"x9Qa","revoked_by":"Olivia Owner","revoked_at":"2026-12-07T14:00:00Z"}"""),
        new(WebhookEvents.QuotaThresholdReached, WebhookEvents.Describe(WebhookEvents.QuotaThresholdReached) + " (80, 90 or 100 %, once each a month).", EventSource.ControlPanel, 1,
            Schema("quota_threshold_reached", "\"percent\", \"used\", \"quota\", \"month\"", QuotaProperties),
            """{"percent":90,"used":90000,"quota":100000,"month":"2026-12"}"""),
        new(WebhookEvents.QuotaExceeded, WebhookEvents.Describe(WebhookEvents.QuotaExceeded) + "; its calls now use the overrun allowance.", EventSource.ControlPanel, 1,
            Schema("quota_exceeded", "\"percent\", \"used\", \"quota\", \"month\"", QuotaProperties),
            """{"percent":100,"used":100000,"quota":100000,"month":"2026-12"}"""),
        new(WebhookEvents.ApplicationOffline, WebhookEvents.Describe(WebhookEvents.ApplicationOffline) + ".", EventSource.ControlPanel, 1,
            Schema("application_offline", "\"application_id\", \"changed_by\", \"changed_at\"", ApplicationProperties + """
                "changed_by": { "type": "string" },
                "changed_at": { "type": "string", "format": "date-time" }
            """),
            """{"application_id":"6f1c2b1e-0d3a-4c55-9a43-0c8b6f2f7d10","application_name":"Storefront","changed_by":"Olivia Owner","changed_at":"2026-12-07T14:00:00Z"}"""),
        new(WebhookEvents.Test, "Sent by \"Send test event\" to one endpoint, whatever it subscribes to.", EventSource.ControlPanel, 1,
            Schema("webhook_test", "\"message\", \"endpoint_id\", \"sent_by\", \"sent_at\"", """
                "message": { "type": "string" },
                "endpoint_id": { "type": "string", "format": "uuid" },
                "sent_by": { "type": "string" },
                "sent_at": { "type": "string", "format": "date-time" }
            """),
            """{"message":"A test event from ControlPanel.","endpoint_id":"5d2e8c40-1f6a-4b7e-9c3d-8a1f2e4b6c90","sent_by":"Olivia Owner","sent_at":"2026-12-07T14:00:00Z"}"""),
    ];

    private const string QuotaProperties = """
            "percent": { "type": "integer", "minimum": 0, "description": "The share of the monthly quota used." },
            "used": { "type": "integer", "minimum": 0, "description": "Counted calls this month." },
            "quota": { "type": "integer", "minimum": 0, "description": "The monthly quota." },
            "month": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "The month (UTC), yyyy-MM." }
        """;
}
