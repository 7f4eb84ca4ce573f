using System.Security.Cryptography;
using ControlPanel.Domain.Keys;

namespace ControlPanel.Domain.Sessions;

/// <summary>
/// The Bearer token format, written like the seed's example, <c>XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX</c>
/// in upper-case hex: 16 bytes, of which the first <see cref="RandomBytes"/> are random and the last
/// <see cref="MacBytes"/> are an HMAC-SHA256 of them under the key all instances share
/// (<see cref="SessionTokenKey"/>). The MAC lets any instance refuse a made-up token without a database
/// look-up; the token's authority is still only its SHA-256 hash being in the Sessions table.
/// </summary>
public static class SessionToken
{
    public const int Length = 36;

    /// <summary>80 random bits: more than the 64 a session token needs to be unguessable (ASVS 3.2.2), even to someone who knows the MAC key.</summary>
    public const int RandomBytes = 10;

    /// <summary>48 bits of MAC: a forger hits a valid one once in 2^48 tries, so forgeries practically never reach the database.</summary>
    public const int MacBytes = 6;

    private const int TotalBytes = RandomBytes + MacBytes;

    public static string New(SessionTokenKey key)
    {
        Span<byte> bytes = stackalloc byte[TotalBytes];
        RandomNumberGenerator.Fill(bytes[..RandomBytes]);
        key.Mac(bytes[..RandomBytes], bytes[RandomBytes..]);
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

    /// <summary>True when a well-formed token's last 6 bytes are the MAC of its first 10 under <paramref name="key"/> (compared in constant time).</summary>
    public static bool IsSignedBy(ReadOnlySpan<char> token, SessionTokenKey key)
    {
        if (!IsWellFormed(token)) return false;
        Span<char> hex = stackalloc char[TotalBytes * 2];
        var at = 0;
        foreach (var c in token)
            if (c != '-') hex[at++] = c;
        Span<byte> bytes = stackalloc byte[TotalBytes];
        Convert.FromHexString(hex, bytes, out _, out _);
        Span<byte> expected = stackalloc byte[MacBytes];
        key.Mac(bytes[..RandomBytes], expected);
        return CryptographicOperations.FixedTimeEquals(expected, bytes[RandomBytes..]);
    }

    /// <summary>SHA-256 of the upper-cased token. Tokens carry 80 random bits, so an unsalted hash is as strong as the token.</summary>
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

/// <summary>
/// The HMAC-SHA256 key of session tokens. It is a <see cref="Data.SharedSecret"/> made once in the
/// database, so every instance (and every restart) signs and checks with the same key. Leaking it only
/// lets forgeries cost a look-up again; it grants no session.
/// </summary>
public sealed class SessionTokenKey
{
    public const string SecretName = "SessionTokenMac";
    public const int KeyBytes = 32;

    private readonly byte[] _key;

    public SessionTokenKey(byte[] key)
    {
        if (key.Length < KeyBytes) throw new ArgumentException($"A session token key has at least {KeyBytes} bytes.", nameof(key));
        _key = key.ToArray();
    }

    internal void Mac(ReadOnlySpan<byte> random, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, random, full);
        full[..mac.Length].CopyTo(mac);
    }
}
