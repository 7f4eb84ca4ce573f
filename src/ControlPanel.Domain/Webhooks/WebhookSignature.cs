using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// The delivery signature, exactly as the Standard Webhooks specification (v1) defines it: HMAC-SHA-256 keyed
/// with the signing secret's key (the base64 after <c>whsec_</c>, decoded) over <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// sent as <c>webhook-signature: v1,&lt;base64&gt;</c>. While a rotated secret overlaps, one signature per secret is sent,
/// space-separated. Signing the id and timestamp stops a captured body being replayed later or under another id.
/// Receivers verify with the specification's published libraries (see the help page).
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string EventHeader = "webhook-event";
    public const string AttemptHeader = "webhook-attempt";
    public const string Version = "v1";

    /// <summary>How far a receiver should let <see cref="TimestampHeader"/> differ from its own clock (the libraries' tolerance).</summary>
    public static readonly TimeSpan RecommendedTolerance = TimeSpan.FromMinutes(5);

    /// <summary>One <c>v1,&lt;base64&gt;</c> signature with the given signing secret.</summary>
    public static string Sign(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"{Version},{Convert.ToBase64String(HMACSHA256.HashData(WebhookSecrets.SigningKey(secret), signed))}";
    }

    /// <summary>The header value: one signature per secret in force, space-separated, the newest first.</summary>
    public static string Header(IEnumerable<string> secrets, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var signatures = new List<string>();
        foreach (var secret in secrets) signatures.Add(Sign(secret, messageId, timestamp, body));
        return string.Join(' ', signatures);
    }
}
