using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Makes an endpoint's two secrets and keeps them encrypted at rest with ASP.NET Core Data Protection
/// (they must be readable to sign and to send, so they cannot be hashed like API keys):
/// the signing secret (Standard Webhooks: <c>whsec_</c> + base64 of the HMAC key) and the
/// verification secret sent in the body's <c>secret</c> field, as the seed's receivers expect.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    public const string SecretPrefix = "whsec_";
    public const string SecretIdPrefix = "whsid_";
    /// <summary>Bytes of a generated signing key; the specification asks for 24 to 64.</summary>
    public const int SigningKeyBytes = 32;
    public const int VerificationSecretMinLength = 8;
    public const int VerificationSecretMaxLength = 200;

    private readonly IDataProtector _protector = protection.CreateProtector("ControlPanel.Webhooks.SigningSecret.v1");
    private readonly IDataProtector _verificationProtector = protection.CreateProtector("ControlPanel.Webhooks.VerificationSecret.v1");

    /// <summary>A new signing secret as the Standard Webhooks specification writes it: <c>whsec_</c> + base64 of 256 random bits.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SigningKeyBytes));

    /// <summary>The HMAC key a signing secret stands for: the base64 after <c>whsec_</c>, decoded.</summary>
    public static byte[] SigningKey(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    /// <summary>A public name for a signing secret, shown in the UI and the audit log to tell secrets apart.</summary>
    public static string NewSecretId() => SecretIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A generated verification secret: 32 letters and digits (about 190 bits), easy to paste into any receiver's settings.</summary>
    public static string NewVerificationSecret() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    /// <summary>Why a typed verification secret is refused, or null when it is fine: 8 to 200 printable characters, no spaces at either end.</summary>
    public static string? CheckVerificationSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return "Enter a verification secret, or generate one.";
        if (secret.Length is < VerificationSecretMinLength or > VerificationSecretMaxLength)
            return $"The verification secret is {VerificationSecretMinLength} to {VerificationSecretMaxLength} characters.";
        if (secret.Any(char.IsControl)) return "The verification secret cannot contain control characters.";
        if (secret.Trim().Length != secret.Length) return "The verification secret cannot start or end with a space.";
        return null;
    }

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    public string ProtectVerification(string secret) => _verificationProtector.Protect(secret);

    public string UnprotectVerification(string protectedSecret) => _verificationProtector.Unprotect(protectedSecret);
}

/// <summary>
/// A freshly issued signing secret (and, when an endpoint is added, its verification secret): the only time they are shown.
/// </summary>
public sealed record IssuedSecret(Guid EndpointId, string SecretId, string Secret, string? VerificationSecret = null)
{
    // Keeps the secrets out of logs and exception messages that print the record.
    public override string ToString() => $"IssuedSecret {{ EndpointId = {EndpointId}, SecretId = {SecretId} }}";
}
