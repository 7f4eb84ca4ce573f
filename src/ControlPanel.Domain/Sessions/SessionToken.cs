using System.Security.Cryptography;
using ControlPanel.Domain.Keys;

namespace ControlPanel.Domain.Sessions;

/// <summary>
/// The Bearer token format: 128 random bits written like the seed's example,
/// <c>XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX</c> in upper-case hex. Stored only as SHA-256.
/// </summary>
public static class SessionToken
{
    public const int Length = 36;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        var hex = Convert.ToHexString(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>True for 36 characters with dashes at 8, 13, 18 and 23 and hex digits (either case) elsewhere.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token)
    {
        if (token.Length != Length) return false;
        for (var i = 0; i < Length; i++)
        {
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? token[i] != '-' : !char.IsAsciiHexDigit(token[i])) return false;
        }
        return true;
    }

    /// <summary>SHA-256 of the upper-cased token. Tokens carry 128 random bits, so an unsalted hash is as strong as the token.</summary>
    public static void Hash(ReadOnlySpan<char> token, Span<byte> hash)
    {
        Span<byte> ascii = stackalloc byte[Length];
        for (var i = 0; i < Length; i++) ascii[i] = (byte)char.ToUpperInvariant(token[i]);
        SHA256.HashData(ascii, hash);
    }

    public static string HashHex(string token)
    {
        if (!IsWellFormed(token)) throw new ArgumentException("Not a session token.", nameof(token));
        Span<byte> hash = stackalloc byte[32];
        Hash(token, hash);
        return Convert.ToHexStringLower(hash);
    }

    internal static HashKey Key(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[32];
        Hash(token, hash);
        return HashKey.From(hash);
    }
}
