using System.Buffers.Binary;

namespace ControlPanel.Domain.Keys;

/// <summary>A SHA-256 hash as a value, so dictionary lookups of keys and session tokens allocate nothing.</summary>
internal readonly record struct HashKey(ulong A, ulong B, ulong C, ulong D)
{
    public static HashKey From(ReadOnlySpan<byte> hash) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(hash),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));

    /// <summary>A stored hash (64 hex digits) as a value, without an array between.</summary>
    public static HashKey FromHex(string hex)
    {
        Span<byte> hash = stackalloc byte[32];
        Convert.FromHexString(hex, hash, out _, out var written);
        if (written != hash.Length) throw new FormatException("A stored hash is not 64 hex digits.");
        return From(hash);
    }
}
