namespace ControlPanel.Domain.Resources;

/// <summary>
/// A call's path split into segments the way the API behind the gateway will read it, without allocating: the query and
/// fragment cut off, empty and <c>.</c> segments dropped, <c>..</c> taking the previous segment away, and percent-encoded
/// letters, digits and <c>-._~</c> decoded (so <c>/v1/%63hats</c> is <c>/v1/chats</c> and cannot slip past a padlock).
/// Other encoded bytes stay encoded: they match no pattern's literal, only its wildcards.
/// </summary>
internal readonly ref struct RequestPath
{
    private readonly ReadOnlySpan<char> _chars;
    private readonly ReadOnlySpan<int> _bounds;

    private RequestPath(ReadOnlySpan<char> chars, ReadOnlySpan<int> bounds, int count, bool truncated)
    {
        _chars = chars;
        _bounds = bounds;
        Count = count;
        Truncated = truncated;
    }

    public int Count { get; }

    /// <summary>The path had more than <see cref="ResourcePattern.MaxRequestSegments"/> segments; only the first are read.</summary>
    public bool Truncated { get; }

    public ReadOnlySpan<char> Segment(int index) => _chars.Slice(_bounds[2 * index], _bounds[2 * index + 1]);

    /// <param name="raw">The path, or the URI (an absolute one's scheme and authority are skipped).</param>
    /// <param name="buffer">At least as long as <paramref name="raw"/>: the decoded segments are written here.</param>
    /// <param name="bounds">Two ints per segment read (start, length): <see cref="ResourcePattern.MaxRequestSegments"/> * 2.</param>
    public static RequestPath Split(ReadOnlySpan<char> raw, Span<char> buffer, Span<int> bounds)
    {
        var scheme = raw.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && raw[..scheme].IndexOf('/') < 0)
        {
            raw = raw[(scheme + 3)..];
            var slash = raw.IndexOf('/');
            raw = slash < 0 ? [] : raw[slash..];
        }
        var end = raw.IndexOfAny('?', '#');
        if (end >= 0) raw = raw[..end];

        var max = bounds.Length / 2;
        int count = 0, write = 0;
        var truncated = false;
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] == '/') { i++; continue; }
            var start = write;
            while (i < raw.Length && raw[i] != '/')
            {
                var c = raw[i];
                if (c == '%' && i + 2 < raw.Length && TryHex(raw[i + 1], raw[i + 2], out var decoded) && IsUnreserved(decoded))
                {
                    buffer[write++] = decoded;
                    i += 3;
                }
                else
                {
                    buffer[write++] = c;
                    i++;
                }
            }
            var segment = buffer[start..write];
            if (segment is ".")
            {
                write = start;
            }
            else if (segment is "..")
            {
                write = start;
                if (count > 0) write = bounds[2 * --count];
            }
            else if (count < max)
            {
                bounds[2 * count] = start;
                bounds[2 * count + 1] = write - start;
                count++;
            }
            else
            {
                truncated = true;
                break;
            }
        }
        return new RequestPath(buffer, bounds, count, truncated);
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static bool TryHex(char high, char low, out char value)
    {
        var h = HexValue(high);
        var l = HexValue(low);
        value = (char)(h * 16 + l);
        return h >= 0 && l >= 0;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
