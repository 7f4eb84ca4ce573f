using ControlPanel.Domain.Requests;

namespace ControlPanel.Domain.Tests.Requests;

/// <summary>The one body-size rule: read up to the limit, refuse one byte past it, never read what is declared too large.</summary>
public sealed class BoundedBodyTests
{
    private static MemoryStream Bytes(int count) => new(Enumerable.Range(0, count).Select(i => (byte)i).ToArray());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    public async Task A_body_up_to_the_limit_is_read_whole(int length)
    {
        var stream = Bytes(length);
        using var body = await BoundedBody.ReadAsync(stream, declaredLength: null, maxBytes: 100);

        Assert.NotNull(body);
        Assert.Equal(stream.ToArray(), body.Bytes.ToArray());
    }

    [Fact]
    public async Task A_longer_body_is_refused_after_one_byte_past_the_limit()
    {
        var stream = Bytes(5000);
        Assert.Null(await BoundedBody.ReadAsync(stream, declaredLength: null, maxBytes: 100));
        Assert.Equal(101, stream.Position);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_unread()
    {
        var stream = Bytes(50);
        Assert.Null(await BoundedBody.ReadAsync(stream, declaredLength: 101, maxBytes: 100));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task The_bytes_are_gone_once_disposed()
    {
        var body = await BoundedBody.ReadAsync(Bytes(10), declaredLength: 10, maxBytes: 100);
        body!.Dispose();
        Assert.Throws<ObjectDisposedException>(() => body.Bytes);
    }
}
