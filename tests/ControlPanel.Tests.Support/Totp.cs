using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ControlPanel.Tests;

/// <summary>
/// Time-based one-time passwords as an authenticator app computes them (RFC 6238 over RFC 4226):
/// HMAC-SHA1 of the 30-second step count, dynamically truncated to 6 digits.
/// </summary>
public static class Totp
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    private const int Digits = 6;

    /// <summary>The code for the time step holding <paramref name="time"/>.</summary>
    public static string Code(string base32Key, DateTimeOffset time) => Code(DecodeBase32(base32Key), StepOf(time));

    public static long StepOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    public static string Code(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(key, counter, hash);

        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D" + Digits);
    }

    /// <summary>RFC 4648 base32 (A–Z, 2–7), any case; spaces and padding are ignored.</summary>
    public static byte[] DecodeBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '=' or '-') continue;
            var value = alphabet.IndexOf(char.ToUpperInvariant(c));
            if (value < 0) throw new FormatException($"'{c}' is not a base32 character.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        return bytes.ToArray();
    }
}
