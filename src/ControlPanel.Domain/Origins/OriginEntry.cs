using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ControlPanel.Domain.Origins;

/// <summary>
/// One normalised line of an application's origin allowlist: either a URL origin
/// (<c>https://app.example.com</c>, <c>https://*.example.com:8443</c>) or an IP address or
/// CIDR range (<c>203.0.113.7</c>, <c>203.0.113.0/24</c>, <c>2001:db8::/32</c>).
/// </summary>
/// <remarks>
/// Normalisation makes equal entries compare equal and read the same in the UI:
/// URL schemes and hosts are lower-cased, international host names become punycode, a
/// scheme's default port is dropped, CIDR ranges lose their host bits, IPv6 is written in
/// compressed form, IPv4-mapped IPv6 entries become IPv4, and /32 (/128) ranges become
/// single addresses. Two entries are equal when their normalised text is equal.
/// </remarks>
public sealed class OriginEntry : IEquatable<OriginEntry>
{
    /// <summary>The longest entry accepted, before normalisation.</summary>
    public const int MaxLength = 255;

    internal const string ExpectedFormMessage =
        "Enter a URL origin such as https://app.example.com or an IP address or CIDR range such as 203.0.113.0/24.";

    private const int MaxHostNameLength = 253;
    private const int MaxLabelLength = 63;

    private readonly string _text;

    private OriginEntry(OriginKind kind, string text)
    {
        Kind = kind;
        _text = text;
    }

    /// <summary>Whether this entry matches the Origin header or the client address.</summary>
    public OriginKind Kind { get; }

    /// <summary>URL entries: <c>http</c> or <c>https</c>. Null for IP entries.</summary>
    public string? Scheme { get; private init; }

    /// <summary>
    /// URL entries: the lower-case ASCII host, without any <c>*.</c> prefix; an IPv6 literal
    /// keeps its brackets. Null for IP entries.
    /// </summary>
    public string? Host { get; private init; }

    /// <summary>URL entries: the port when it is not the scheme's default; otherwise null.</summary>
    public int? Port { get; private init; }

    /// <summary>URL entries: true for <c>*.host</c>, which matches any subdomain of <see cref="Host"/> but not <see cref="Host"/> itself.</summary>
    public bool IsWildcard { get; private init; }

    /// <summary>IP entries: the address, or the range's network address (host bits cleared). Null for URL entries.</summary>
    public IPAddress? Address { get; private init; }

    /// <summary>IP entries: the prefix length; 32 (IPv4) or 128 (IPv6) for a single address. Null for URL entries.</summary>
    public int? PrefixLength { get; private init; }

    /// <summary>URL entries: the port the Origin header must carry, the scheme's default when <see cref="Port"/> is null.</summary>
    internal int EffectivePort => Port ?? DefaultPort(Scheme!);

    /// <summary>The normalised text, the form stored and shown.</summary>
    public override string ToString() => _text;

    public bool Equals(OriginEntry? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as OriginEntry);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    /// <summary>Parses and normalises one allowlist entry; throws <see cref="FormatException"/> with the human message when it is not valid.</summary>
    public static OriginEntry Parse(string input) =>
        TryParse(input, out var entry, out var error) ? entry : throw new FormatException(error);

    /// <summary>Parses and normalises one allowlist entry.</summary>
    /// <param name="input">A URL origin, IP address or CIDR range; surrounding whitespace is ignored.</param>
    /// <param name="entry">The normalised entry when the input is valid.</param>
    /// <param name="error">A sentence a user can act on when the input is not valid.</param>
    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out OriginEntry? entry,
        [NotNullWhen(false)] out string? error)
    {
        entry = null;
        string text = (input ?? string.Empty).Trim();

        if (text.Length == 0)
        {
            error = ExpectedFormMessage;
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"An entry can be at most {MaxLength} characters.";
            return false;
        }

        if (HasWhitespace(text))
        {
            error = "An entry cannot contain spaces.";
            return false;
        }

        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            return TryParseUrl(text, schemeEnd, out entry, out error);
        }

        if (LooksLikeIpAddress(text))
        {
            return TryParseIp(text, out entry, out error);
        }

        // Something with letters but no scheme is most likely a host name typed on its own.
        error = text.AsSpan().ContainsAnyInRange('a', 'z') || text.AsSpan().ContainsAnyInRange('A', 'Z')
            ? "A URL origin starts with http:// or https://, as in https://app.example.com."
            : ExpectedFormMessage;
        return false;
    }

    internal static int DefaultPort(string scheme) => scheme == "https" ? 443 : 80;

    private static bool HasWhitespace(string text)
    {
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseUrl(string text, int schemeEnd, [NotNullWhen(true)] out OriginEntry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = null;
        string scheme = text[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            error = "Only http:// and https:// origins are allowed.";
            return false;
        }

        string rest = text[(schemeEnd + 3)..];
        int authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        string authority = authorityEnd < 0 ? rest : rest[..authorityEnd];

        // An Origin header never carries a path, so one here could never match. A lone "/"
        // is accepted because browsers' address bars add it.
        if (authorityEnd >= 0 && rest[authorityEnd..] != "/")
        {
            error = "A URL origin has no path, query or fragment.";
            return false;
        }

        if (authority.Contains('@'))
        {
            error = "A URL origin cannot contain a user name or password.";
            return false;
        }

        if (!TrySplitHostAndPort(authority, out string hostText, out string? portText, out error))
        {
            return false;
        }

        int? port = null;
        if (portText is not null)
        {
            if (!TryParsePort(portText, out int portNumber))
            {
                error = "The port must be a number from 1 to 65535.";
                return false;
            }

            port = portNumber == DefaultPort(scheme) ? null : portNumber;
        }

        bool isWildcard = false;
        string host;
        if (hostText.StartsWith('['))
        {
            if (!TryNormaliseIPv6Literal(hostText, out host, out error))
            {
                return false;
            }
        }
        else
        {
            isWildcard = hostText.StartsWith("*.", StringComparison.Ordinal);
            string name = isWildcard ? hostText[2..] : hostText;
            if (name.Contains('*'))
            {
                error = "A wildcard is allowed only as the whole first label, as in https://*.example.com.";
                return false;
            }

            if (!TryNormaliseHostName(name, out host, out error))
            {
                return false;
            }

            if (isWildcard && IsDottedIPv4(host))
            {
                error = "A wildcard cannot be used with an IP address.";
                return false;
            }

            // "*.com" would admit every site under a top-level domain.
            if (isWildcard && !host.Contains('.'))
            {
                error = "A wildcard needs a domain with at least two labels, as in https://*.example.com.";
                return false;
            }
        }

        string normalised = $"{scheme}://{(isWildcard ? "*." : "")}{host}{(port is int p ? $":{p}" : "")}";
        entry = new OriginEntry(OriginKind.Url, normalised)
        {
            Scheme = scheme,
            Host = host,
            Port = port,
            IsWildcard = isWildcard,
        };
        error = null;
        return true;
    }

    private static bool TrySplitHostAndPort(string authority, out string host, out string? port, [NotNullWhen(false)] out string? error)
    {
        host = authority;
        port = null;
        error = null;

        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            if (close < 0)
            {
                error = $"'{authority}' is not a valid IPv6 address in brackets.";
                return false;
            }

            host = authority[..(close + 1)];
            string after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    error = $"'{authority}' is not a valid host and port.";
                    return false;
                }

                port = after[1..];
            }
        }
        else
        {
            int colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                host = authority[..colon];
                port = authority[(colon + 1)..];
                if (host.Contains(':'))
                {
                    error = "Put an IPv6 address in brackets, as in http://[2001:db8::1]:8080.";
                    return false;
                }
            }
        }

        if (host.Length == 0)
        {
            error = "A URL origin needs a host name, as in https://app.example.com.";
            return false;
        }

        return true;
    }

    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port is >= 1 and <= 65535;
    }

    private static bool TryNormaliseIPv6Literal(string bracketed, out string host, [NotNullWhen(false)] out string? error)
    {
        string inner = bracketed[1..^1];
        if (inner.Contains('%')
            || !IPAddress.TryParse(inner, out var address)
            || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            host = string.Empty;
            error = $"'{bracketed}' is not a valid IPv6 address in brackets.";
            return false;
        }

        host = $"[{address}]";
        error = null;
        return true;
    }

    private static bool TryNormaliseHostName(string name, out string host, [NotNullWhen(false)] out string? error)
    {
        host = string.Empty;
        if (name.Length == 0)
        {
            error = "A URL origin needs a host name, as in https://app.example.com.";
            return false;
        }

        string ascii = name.ToLowerInvariant();
        if (!Ascii.IsValid(ascii))
        {
            // Browsers send international names as punycode in the Origin header.
            try
            {
                ascii = new IdnMapping().GetAscii(ascii).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                error = $"'{name}' is not a valid host name.";
                return false;
            }
        }

        if (!IsValidAsciiHostName(ascii))
        {
            error = $"'{name}' is not a valid host name.";
            return false;
        }

        // A host that ends in a number is an IPv4 address, which must then be a real one.
        if (char.IsAsciiDigit(ascii[^1]) && !IsDottedIPv4(ascii))
        {
            error = $"'{name}' is not a valid host name or IPv4 address.";
            return false;
        }

        host = ascii;
        error = null;
        return true;
    }

    private static bool IsValidAsciiHostName(string host)
    {
        if (host.Length > MaxHostNameLength)
        {
            return false;
        }

        foreach (Range labelRange in host.AsSpan().Split('.'))
        {
            ReadOnlySpan<char> label = host.AsSpan()[labelRange];
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsDottedIPv4(string host) => TryParseStrictIPv4(host, out _);

    private static bool LooksLikeIpAddress(string text)
    {
        int slash = text.IndexOf('/');
        ReadOnlySpan<char> address = slash < 0 ? text : text.AsSpan(0, slash);
        if (address.IsEmpty)
        {
            return false;
        }

        bool hasColon = address.Contains(':');
        foreach (char c in address)
        {
            bool fits = char.IsAsciiDigit(c) || c == '.' || (hasColon && (char.IsAsciiHexDigit(c) || c == ':' || c == '%'));
            if (!fits)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseIp(string text, [NotNullWhen(true)] out OriginEntry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = null;
        int slash = text.IndexOf('/');
        string addressText = slash < 0 ? text : text[..slash];
        string? prefixText = slash < 0 ? null : text[(slash + 1)..];

        if (addressText.Contains('%'))
        {
            error = "An IP address in an allowlist cannot have a zone index (the part after %).";
            return false;
        }

        IPAddress address;
        int maxPrefix;
        if (addressText.Contains(':'))
        {
            if (!IPAddress.TryParse(addressText, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{addressText}' is not a valid IPv6 address.";
                return false;
            }

            address = parsed;
            maxPrefix = 128;
        }
        else
        {
            // IPAddress.TryParse would also take "10" or "0x0a.1" as IPv4; an allowlist wants
            // the dotted-quad form people mean, so parse strictly.
            if (!TryParseStrictIPv4(addressText, out var parsed))
            {
                error = $"'{addressText}' is not a valid IPv4 address.";
                return false;
            }

            address = parsed;
            maxPrefix = 32;
        }

        int prefixLength = maxPrefix;
        if (prefixText is not null && !TryParsePrefixLength(prefixText, maxPrefix, out prefixLength))
        {
            error = maxPrefix == 32 ? "Prefix length must be 0-32 for IPv4." : "Prefix length must be 0-128 for IPv6.";
            return false;
        }

        // Clients on dual-stack sockets show up as ::ffff:a.b.c.d; keeping such entries as IPv4
        // gives one spelling for one range.
        if (address.IsIPv4MappedToIPv6 && prefixLength >= 96)
        {
            address = address.MapToIPv4();
            prefixLength -= 96;
            maxPrefix = 32;
        }

        address = ClearHostBits(address, prefixLength);
        string normalised = prefixLength == maxPrefix ? address.ToString() : $"{address}/{prefixLength}";
        entry = new OriginEntry(OriginKind.Ip, normalised)
        {
            Address = address,
            PrefixLength = prefixLength,
        };
        error = null;
        return true;
    }

    private static bool TryParsePrefixLength(string text, int max, out int prefixLength)
    {
        prefixLength = 0;
        if (text.Length is 0 or > 3)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            prefixLength = (prefixLength * 10) + (c - '0');
        }

        return prefixLength <= max;
    }

    /// <summary>Four decimal parts 0-255, no leading zeros (which some parsers read as octal).</summary>
    internal static bool TryParseStrictIPv4(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        Span<byte> bytes = stackalloc byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.')
            {
                continue;
            }

            if (part == 4)
            {
                return false;
            }

            ReadOnlySpan<char> digits = text[start..i];
            if (digits.Length is 0 or > 3 || (digits.Length > 1 && digits[0] == '0'))
            {
                return false;
            }

            int value = 0;
            foreach (char c in digits)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            if (value > 255)
            {
                return false;
            }

            bytes[part++] = (byte)value;
            start = i + 1;
        }

        if (part != 4)
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static IPAddress ClearHostBits(IPAddress address, int prefixLength)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
