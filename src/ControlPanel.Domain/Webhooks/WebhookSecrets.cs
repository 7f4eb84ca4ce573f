using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ControlPanel.Domain.Webhooks;

/// <summary>Makes signing secrets and keeps them encrypted at rest with ASP.NET Core Data Protection.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    public const string SecretPrefix = "whsec_";
    public const string SecretIdPrefix = "whsid_";

    private readonly IDataProtector _protector = protection.CreateProtector("ControlPanel.Webhooks.SigningSecret.v1");

    /// <summary>A new signing secret: 256 random bits.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A public name for a secret, sent with each delivery so receivers know which secret signed it.</summary>
    public static string NewSecretId() => SecretIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}

/// <summary>A freshly issued signing secret: the only time it is shown.</summary>
public sealed record IssuedSecret(Guid EndpointId, string SecretId, string Secret)
{
    // Keeps the secret out of logs and exception messages that print the record.
    public override string ToString() => $"IssuedSecret {{ EndpointId = {EndpointId}, SecretId = {SecretId} }}";
}
