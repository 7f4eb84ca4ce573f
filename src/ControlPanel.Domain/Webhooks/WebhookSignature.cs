using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// The delivery signature: HMAC-SHA-256, keyed with the UTF-8 bytes of the endpoint's secret, over
/// <c>{Webhook-Id}.{Webhook-Timestamp}.{body}</c>, sent as <c>Webhook-Signature: v1=&lt;lowercase hex&gt;</c>.
/// Signing the id and timestamp stops a captured body being replayed later or under another id.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Webhook-Id";
    public const string TimestampHeader = "Webhook-Timestamp";
    public const string SignatureHeader = "Webhook-Signature";
    public const string EventHeader = "Webhook-Event";
    public const string AttemptHeader = "Webhook-Attempt";
    public const string Version = "v1";

    /// <summary>How far a receiver should let <see cref="TimestampHeader"/> differ from its own clock before rejecting a delivery as replayed.</summary>
    public static readonly TimeSpan RecommendedTolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"{Version}={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    /// <summary>True when one of the header's space-separated signatures matches; compared in constant time.</summary>
    public static bool Verify(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body, string signatureHeader)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(secret, messageId, timestamp, body));
        var matched = false;
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate));
        return matched;
    }
}
