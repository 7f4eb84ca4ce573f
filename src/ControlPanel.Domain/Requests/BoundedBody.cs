using System.Buffers;

namespace ControlPanel.Domain.Requests;

/// <summary>
/// The one body-size rule for what callers send: a body is read up to a limit and no further. A declared length
/// (Content-Length) over the limit is refused unread; otherwise one byte past the limit is enough to know the body is
/// too large, so the rest is never read. The bytes are pooled: dispose the body when done with them.
/// </summary>
public sealed class BoundedBody : IDisposable
{
    private byte[]? buffer;

    private BoundedBody(byte[] buffer, int length)
    {
        this.buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Bytes => (buffer ?? throw new ObjectDisposedException(nameof(BoundedBody))).AsMemory(0, Length);

    /// <summary>The whole body when it is at most <paramref name="maxBytes"/> long; null when it is longer.</summary>
    public static async Task<BoundedBody?> ReadAsync(Stream body, long? declaredLength, int maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (declaredLength > maxBytes) return null;
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= maxBytes && (read = await body.ReadAsync(buffer.AsMemory(length, maxBytes + 1 - length), cancellationToken)) > 0) length += read;
            if (length <= maxBytes) return new BoundedBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        ArrayPool<byte>.Shared.Return(buffer);
        return null;
    }

    public void Dispose()
    {
        if (buffer is not { } returned) return;
        buffer = null;
        ArrayPool<byte>.Shared.Return(returned);
    }
}
