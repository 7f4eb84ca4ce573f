using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.Domain.AccessTokens;

/// <summary>
/// A personal access token for the management API: it acts as the user who made it, narrowed to its scope.
/// Only the SHA-256 of the token and its last four characters are stored; the token is shown once.
/// </summary>
public class AccessToken
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.NewGuid();
    /// <summary>The creator; the token is deleted with the user (and refused if the user is gone).</summary>
    public required string UserId { get; set; }
    /// <summary>
    /// The account a member made it in: it acts with the creator's role there, read on every call, and ends when they leave
    /// it. Null for staff's tokens.
    /// </summary>
    public Guid? AccountId { get; set; }
    public required string Name { get; set; }
    public AccessTokenScope Scope { get; set; }
    public required string TokenHash { get; set; }
    public required string Last4 { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Null: never expires.</summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public bool IsExpired(DateTime now) => ExpiresAt is { } end && end <= now;

    public AccessTokenState State(DateTime now) =>
        RevokedAt is not null ? AccessTokenState.Revoked : IsExpired(now) ? AccessTokenState.Expired : AccessTokenState.Active;
}

public enum AccessTokenScope { ReadOnly, ReadWrite }

public enum AccessTokenState { Active, Expired, Revoked }

/// <summary>The lifetimes a person chooses from.</summary>
public enum AccessTokenExpiry { ThirtyDays, NinetyDays, OneYear, Never }

public static class AccessTokenExpiryExtensions
{
    public static TimeSpan? Duration(this AccessTokenExpiry expiry) => expiry switch
    {
        AccessTokenExpiry.ThirtyDays => TimeSpan.FromDays(30),
        AccessTokenExpiry.NinetyDays => TimeSpan.FromDays(90),
        AccessTokenExpiry.OneYear => TimeSpan.FromDays(365),
        AccessTokenExpiry.Never => null,
        _ => throw new ArgumentOutOfRangeException(nameof(expiry)),
    };

    public static string Label(this AccessTokenExpiry expiry) => expiry switch
    {
        AccessTokenExpiry.ThirtyDays => "30 days",
        AccessTokenExpiry.NinetyDays => "90 days",
        AccessTokenExpiry.OneYear => "1 year",
        AccessTokenExpiry.Never => "No expiry",
        _ => expiry.ToString(),
    };

    public static string Label(this AccessTokenScope scope) => scope == AccessTokenScope.ReadWrite ? "Read and write" : "Read-only";
}

/// <summary>
/// The token format: <c>cpat_</c> and 48 lowercase hex characters (192 random bits). The prefix tells it apart from
/// session tokens and lets secret scanners recognise a leaked one.
/// </summary>
public static class AccessTokenFormat
{
    public const string Prefix = "cpat_";
    public const int SecretLength = 48;
    public const int Length = 5 + SecretLength;

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretLength / 2));

    public static bool IsWellFormed(string? token)
    {
        if (token is null || token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        foreach (var c in token.AsSpan(Prefix.Length))
            if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }

    /// <summary>SHA-256 of the token: it carries 192 random bits, so an unsalted hash is as strong as the token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>How a stored token is shown: the prefix and its last four characters.</summary>
    public static string Hint(string last4) => $"{Prefix}…{last4}";
}

/// <summary>A freshly made token: the only time it exists in plaintext.</summary>
public sealed record IssuedAccessToken(Guid Id, string Name, string Token, DateTime? ExpiresAt)
{
    // Keeps the token out of logs and exception messages that print the record.
    public override string ToString() => $"IssuedAccessToken {{ Id = {Id}, Name = {Name} }}";
}
