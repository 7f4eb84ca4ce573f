using System.Buffers;

namespace ControlPanel.Domain.Resources;

/// <summary>
/// A resource's method and path pattern, parsed. A path pattern is segments between slashes: a literal
/// (<c>chats</c>, compared ignoring case, as most API servers route), <c>{name}</c> or <c>*</c> for exactly one
/// segment, and, last only, <c>**</c> for any number of segments (none included). The method is one of
/// <see cref="Methods"/> or <c>*</c> for any. When several patterns match a call the most specific wins: compared
/// segment by segment from the left, a literal beats a one-segment wildcard, which beats the pattern's end, which
/// beats <c>**</c>; then a named method beats any method.
/// </summary>
public sealed class ResourcePattern
{
    /// <summary>The methods a resource may name (HEAD also matches GET resources when no HEAD resource matches).</summary>
    public static IReadOnlyList<string> Methods => MethodList;

    internal static readonly string[] MethodList = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>Segments a pattern has at most (the request's path is read up to <see cref="MaxRequestSegments"/>).</summary>
    public const int MaxSegments = 32;

    /// <summary>A request path's segments read; a longer path can only match a pattern ending in <c>**</c>, which it still does exactly.</summary>
    public const int MaxRequestSegments = 64;

    // Ranked so that a higher rank at the first differing position is the more specific pattern.
    internal enum Kind : byte { Rest = 1, End = 2, One = 3, Literal = 4 }

    internal readonly record struct Segment(Kind Kind, string Text);

    private static readonly SearchValues<char> LiteralChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()+,;=:@");
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private ResourcePattern(string method, string path, Segment[] segments)
    {
        Method = method;
        Path = path;
        Segments = segments;
    }

    /// <summary>Upper case, or <c>*</c>.</summary>
    public string Method { get; }

    /// <summary>The pattern as written (trimmed, without a trailing slash).</summary>
    public string Path { get; }

    internal Segment[] Segments { get; }

    public bool AnyMethod => Method == Resource.AnyMethod;

    /// <summary>Why <paramref name="method"/> is not a method a resource can name; null when it is one.</summary>
    public static string? MethodError(string? method)
    {
        var m = method?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(m)) return "Choose a method, or * for any method.";
        return m == Resource.AnyMethod || Methods.Contains(m) ? null : $"The method is one of {string.Join(", ", Methods)} or * for any method.";
    }

    /// <summary>Why <paramref name="path"/> is not a path pattern; null when it is one.</summary>
    public static string? PathError(string? path) => Parse(path, out _, out var error) ? null : error;

    /// <summary>Parses a method and a path pattern that <see cref="MethodError"/> and <see cref="PathError"/> accept.</summary>
    public static ResourcePattern Create(string method, string path)
    {
        if (MethodError(method) is { } methodError) throw new ArgumentException(methodError, nameof(method));
        if (!Parse(path, out var segments, out var pathError)) throw new ArgumentException(pathError, nameof(path));
        return new ResourcePattern(method.Trim().ToUpperInvariant(), Normalise(path), segments);
    }

    /// <summary>The pattern as stored: trimmed, and "/v1/chats/" is "/v1/chats".</summary>
    public static string Normalise(string path)
    {
        var trimmed = path.Trim();
        return trimmed.Length > 1 ? trimmed.TrimEnd('/') : trimmed;
    }

    private static bool Parse(string? path, out Segment[] segments, out string? error)
    {
        segments = [];
        error = null;
        var text = path?.Trim() ?? "";
        if (text.Length == 0) { error = "Enter a path pattern such as /v1/chats/{id}."; return false; }
        if (text.Length > Resource.PathMaxLength) { error = $"The path pattern is at most {Resource.PathMaxLength} characters."; return false; }
        if (text[0] != '/') { error = "The path pattern starts with /, as in /v1/chats/{id}."; return false; }
        if (text.Contains('?') || text.Contains('#')) { error = "The path pattern is a path only: no query (?) or fragment (#)."; return false; }
        var parts = Normalise(text)[1..].Split('/');
        if (parts is [""]) return true; // "/": the root alone
        if (parts.Length > MaxSegments) { error = $"The path pattern has at most {MaxSegments} segments."; return false; }
        var list = new List<Segment>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0) { error = "The path pattern has an empty segment (//)."; return false; }
            if (part is "." or "..") { error = "The path pattern cannot have . or .. segments: gateways resolve them before the call arrives."; return false; }
            if (part == "**")
            {
                if (i != parts.Length - 1) { error = "** (any number of segments) may only end the path pattern."; return false; }
                list.Add(new Segment(Kind.Rest, part));
            }
            else if (part == "*")
            {
                list.Add(new Segment(Kind.One, part));
            }
            else if (part[0] == '{')
            {
                if (part.Length < 3 || part[^1] != '}' || part.AsSpan(1, part.Length - 2).ContainsAnyExcept(NameChars))
                {
                    error = $"\"{part}\" is not a parameter: write {{name}} with letters, digits or _ for one whole segment.";
                    return false;
                }
                list.Add(new Segment(Kind.One, part));
            }
            else if (part.AsSpan().ContainsAnyExcept(LiteralChars))
            {
                error = $"\"{part}\" has a character a path segment cannot have here: use letters, digits and -._~!$&'()+,;=:@, {{name}}, * or **.";
                return false;
            }
            else
            {
                list.Add(new Segment(Kind.Literal, part));
            }
        }
        segments = [.. list];
        return true;
    }

    private Kind KindAt(int i) => i < Segments.Length ? Segments[i].Kind : Kind.End;

    /// <summary>Negative when <paramref name="a"/>'s path is the more specific (tried first), positive when <paramref name="b"/>'s is, 0 for the same shape.</summary>
    public static int CompareShape(ResourcePattern a, ResourcePattern b)
    {
        var length = Math.Max(a.Segments.Length, b.Segments.Length);
        for (var i = 0; i < length; i++)
        {
            var (ka, kb) = (a.KindAt(i), b.KindAt(i));
            if (ka != kb) return kb.CompareTo(ka);
        }
        return 0;
    }

    /// <summary>As <see cref="CompareShape"/>, then a named method before any method.</summary>
    public static int CompareSpecificity(ResourcePattern a, ResourcePattern b)
    {
        var byShape = CompareShape(a, b);
        return byShape != 0 ? byShape : a.AnyMethod.CompareTo(b.AnyMethod);
    }

    /// <summary>Same method and a pattern that matches exactly the same paths: the later one could never be reached.</summary>
    public bool SameAs(ResourcePattern other) =>
        Method == other.Method && Segments.Length == other.Segments.Length && Within(other) && other.Within(this);

    /// <summary>Some call matches both.</summary>
    public bool Overlaps(ResourcePattern other)
    {
        if (!AnyMethod && !other.AnyMethod && Method != other.Method) return false;
        for (var i = 0; ; i++)
        {
            var (a, b) = (KindAt(i), other.KindAt(i));
            if (a == Kind.Rest || b == Kind.Rest) return true;
            if (a == Kind.End || b == Kind.End) return a == b;
            if (a == Kind.Literal && b == Kind.Literal && !string.Equals(Segments[i].Text, other.Segments[i].Text, StringComparison.OrdinalIgnoreCase)) return false;
        }
    }

    /// <summary>Every call that matches this matches <paramref name="other"/> too (this is a special case of it).</summary>
    public bool Within(ResourcePattern other)
    {
        if (!other.AnyMethod && Method != other.Method) return false;
        for (var i = 0; ; i++)
        {
            var (a, b) = (KindAt(i), other.KindAt(i));
            if (b == Kind.Rest) return true;
            if (a == Kind.Rest) return false;
            if (a == Kind.End || b == Kind.End) return a == b;
            if (b == Kind.Literal && (a != Kind.Literal || !string.Equals(Segments[i].Text, other.Segments[i].Text, StringComparison.OrdinalIgnoreCase))) return false;
        }
    }

    /// <summary>Does the request path, split by <see cref="RequestPath"/>, match? Allocates nothing.</summary>
    internal bool Matches(in RequestPath path)
    {
        var segments = Segments;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Kind == Kind.Rest) return true;
            if (i >= path.Count) return false;
            if (segment.Kind == Kind.Literal && !path.Segment(i).Equals(segment.Text, StringComparison.OrdinalIgnoreCase)) return false;
        }
        return path.Count == segments.Length && !path.Truncated;
    }
}
