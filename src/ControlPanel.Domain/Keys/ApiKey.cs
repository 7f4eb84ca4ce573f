using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.Domain.Keys;

/// <summary>The format of an APPLICATIONKEY or CONSUMERKEY: 32 lowercase hex characters, 128 random bits.</summary>
public static class ApiKey
{
    public const int Length = 32;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>True for 32 hex characters, in either case (the seed's examples mix cases).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != Length) return false;
        foreach (var c in key)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }

    /// <summary>SHA-256 of the lowercased key. Keys carry 128 random bits, so an unsalted hash is as strong as the key.</summary>
    public static void Hash(ReadOnlySpan<char> key, Span<byte> hash)
    {
        Span<byte> ascii = stackalloc byte[Length];
        for (var i = 0; i < Length; i++) ascii[i] = (byte)char.ToLowerInvariant(key[i]);
        SHA256.HashData(ascii, hash);
    }

    public static string HashHex(string key)
    {
        if (!IsWellFormed(key)) throw new ArgumentException("Not an API key.", nameof(key));
        Span<byte> hash = stackalloc byte[32];
        Hash(key, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string LastFour(string key) => key[^4..];
}

/// <summary>A freshly issued key pair: the only time the keys exist in plaintext.</summary>
public sealed record IssuedKeys(Guid KeyPairId, string ApplicationKey, string ConsumerKey)
{
    // Keeps the keys out of logs and exception messages that print the record.
    public override string ToString() => $"IssuedKeys {{ KeyPairId = {KeyPairId} }}";
}

/// <summary>How long a rolled-over pair keeps working.</summary>
public enum RotationGrace { Immediately, OneHour, TwentyFourHours, ThreeDays, SevenDays }

public static class RotationGraceExtensions
{
    public static TimeSpan Duration(this RotationGrace grace) => grace switch
    {
        RotationGrace.Immediately => TimeSpan.Zero,
        RotationGrace.OneHour => TimeSpan.FromHours(1),
        RotationGrace.TwentyFourHours => TimeSpan.FromHours(24),
        RotationGrace.ThreeDays => TimeSpan.FromDays(3),
        RotationGrace.SevenDays => TimeSpan.FromDays(7),
        _ => throw new ArgumentOutOfRangeException(nameof(grace)),
    };

    public static string Label(this RotationGrace grace) => grace switch
    {
        RotationGrace.Immediately => "Immediately",
        RotationGrace.OneHour => "1 hour",
        RotationGrace.TwentyFourHours => "24 hours",
        RotationGrace.ThreeDays => "3 days",
        RotationGrace.SevenDays => "7 days",
        _ => grace.ToString(),
    };
}
