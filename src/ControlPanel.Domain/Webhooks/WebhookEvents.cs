namespace ControlPanel.Domain.Webhooks;

/// <summary>The events an endpoint can subscribe to: the platform's two, and the control panel's own.</summary>
public static class WebhookEvents
{
    /// <summary>The platform: a chat was ended (posted to the intake API).</summary>
    public const string ChatEnded = "chat_ended";
    /// <summary>The platform: an offline message was sent (posted to the intake API).</summary>
    public const string OfflineMessage = "offline_message";
    public const string KeyRotated = "key_rotated";
    public const string KeyRevoked = "key_revoked";
    public const string QuotaThresholdReached = "quota_threshold_reached";
    public const string QuotaExceeded = "quota_exceeded";
    public const string ApplicationOffline = "application_offline";
    /// <summary>Sent by "Send test event" to one endpoint, whatever it subscribes to.</summary>
    public const string Test = "webhook_test";

    /// <summary>The shipped events an endpoint may subscribe to; <see cref="EventCatalogue"/> adds those administrators added.</summary>
    public static readonly IReadOnlyList<string> Subscribable =
        [ChatEnded, OfflineMessage, KeyRotated, KeyRevoked, QuotaThresholdReached, QuotaExceeded, ApplicationOffline];

    public static bool IsSubscribable(string name) => Subscribable.Contains(name);

    public static string Describe(string name) => name switch
    {
        ChatEnded => "A chat was ended",
        OfflineMessage => "An offline message was sent",
        KeyRotated => "An application's keys were rotated",
        KeyRevoked => "A key pair was revoked",
        QuotaThresholdReached => "An application reached a quota threshold",
        QuotaExceeded => "An application exceeded its quota",
        ApplicationOffline => "An application was taken offline",
        Test => "Test event",
        _ => name,
    };
}
