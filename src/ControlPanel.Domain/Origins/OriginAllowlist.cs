using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using System.Net;

namespace ControlPanel.Domain.Origins;

/// <summary>
/// An application's origin access identity: the URL origins and IP ranges allowed to use its
/// keys. Immutable and compiled for matching, because <see cref="Allows"/> runs on every API
/// request; build a new one when the list changes.
/// </summary>
public sealed class OriginAllowlist
{
    private readonly OriginEntry[] _entries;
    private readonly IPv4Range[] _ipv4Ranges;
    private readonly IPv6Range[] _ipv6Ranges;
    private readonly bool _hasUrlEntries;
    private readonly bool _hasIpEntries;
    private readonly bool _hasWildcards;

    // Keyed by host (exact entries) or by the domain under the "*." (wildcard entries);
    // case-insensitive, and looked up by span so matching a header allocates nothing.
    private readonly FrozenDictionary<string, UrlTarget[]>.AlternateLookup<ReadOnlySpan<char>> _exactHosts;
    private readonly FrozenDictionary<string, UrlTarget[]>.AlternateLookup<ReadOnlySpan<char>> _wildcardDomains;

    /// <summary>Builds an allowlist from entries; duplicates are dropped.</summary>
    /// <param name="entries">URL origins and IP ranges.</param>
    /// <param name="requiresBoth">See <see cref="RequiresBoth"/>.</param>
    public OriginAllowlist(IEnumerable<OriginEntry> entries, bool requiresBoth = false)
    {
        RequiresBoth = requiresBoth;
        ArgumentNullException.ThrowIfNull(entries);

        var unique = new List<OriginEntry>();
        var seen = new HashSet<OriginEntry>();
        var ipv4 = new List<IPv4Range>();
        var ipv6 = new List<IPv6Range>();
        var exact = new Dictionary<string, List<UrlTarget>>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, List<UrlTarget>>(StringComparer.OrdinalIgnoreCase);

        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            if (!seen.Add(entry))
            {
                continue;
            }

            unique.Add(entry);
            if (entry.Kind == OriginKind.Ip)
            {
                AddRange(entry.Address!, entry.PrefixLength!.Value, ipv4, ipv6);
            }
            else
            {
                var targets = entry.IsWildcard ? wildcard : exact;
                if (!targets.TryGetValue(entry.Host!, out var list))
                {
                    targets[entry.Host!] = list = [];
                }

                list.Add(new UrlTarget(entry.Scheme == "https", entry.EffectivePort));
            }
        }

        _entries = [.. unique];
        _ipv4Ranges = [.. ipv4];
        _ipv6Ranges = [.. ipv6];
        _hasUrlEntries = exact.Count > 0 || wildcard.Count > 0;
        _hasIpEntries = ipv4.Count > 0 || ipv6.Count > 0;
        _hasWildcards = wildcard.Count > 0;
        _exactHosts = Freeze(exact);
        _wildcardDomains = Freeze(wildcard);
    }

    /// <summary>An allowlist with no entries, which allows every caller.</summary>
    public static OriginAllowlist Empty { get; } = new([]);

    private static OriginAllowlist EmptyRequiringBoth { get; } = new([], requiresBoth: true);

    /// <summary>
    /// What a stored list with a line that no longer parses stands for: it allows nobody. Dropping the
    /// line instead could leave the list empty, and an empty list allows everyone.
    /// </summary>
    public static OriginAllowlist Unreadable { get; } = new([]) { IsUnreadable = true };

    /// <summary>
    /// The allowlist a stored list (one entry per line, as <c>AllowlistService</c> saves it) stands
    /// for, or <see cref="Unreadable"/> when any line no longer parses.
    /// </summary>
    public static OriginAllowlist FromStored(string stored, bool requiresBoth = false)
    {
        var parsed = Parse(stored);
        if (!parsed.Succeeded) return Unreadable;
        // Most applications list nothing: they share one empty list.
        if (parsed.Entries.Count == 0) return requiresBoth ? EmptyRequiringBoth : Empty;
        return new OriginAllowlist(parsed.Entries, requiresBoth);
    }

    /// <summary>
    /// The owner's choice for a list with both kinds of entry. False (the default): a call is admitted when its
    /// address is in an IP entry <em>or</em> its Origin matches a URL entry. True: it must do both. With one kind
    /// only, that kind decides either way. The two kinds protect against different things: a URL entry stops other
    /// web pages (browsers set Origin and pages cannot change it), an IP entry stops other servers (which can write
    /// any Origin they like, so a URL entry alone does not stop them).
    /// </summary>
    public bool RequiresBoth { get; }

    /// <summary>The entries, normalised and without duplicates, in the order given.</summary>
    public IReadOnlyList<OriginEntry> Entries => _entries;

    /// <summary>True when there are no entries: origin access identity is not enforced.</summary>
    public bool IsEmpty => _entries.Length == 0 && !IsUnreadable;

    /// <summary>True for <see cref="Unreadable"/>: every caller is refused until the list is corrected.</summary>
    public bool IsUnreadable { get; private init; }

    /// <summary>
    /// Parses allowlist lines (one entry per line; blank lines are skipped) into normalised,
    /// de-duplicated entries, or the per-line errors for the UI to show.
    /// </summary>
    public static OriginAllowlistParseResult Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);

        var entries = new List<OriginEntry>();
        var seen = new HashSet<OriginEntry>();
        var errors = new List<OriginLineError>();
        int lineNumber = 0;
        foreach (string? line in lines)
        {
            lineNumber++;
            string text = line?.Trim() ?? string.Empty;
            if (text.Length == 0)
            {
                continue;
            }

            if (OriginEntry.TryParse(text, out var entry, out var error))
            {
                if (seen.Add(entry))
                {
                    entries.Add(entry);
                }
            }
            else
            {
                errors.Add(new OriginLineError(lineNumber, text, error));
            }
        }

        return new OriginAllowlistParseResult(entries, errors);
    }

    /// <summary>Parses the text of a multi-line input box; see <see cref="Parse(IEnumerable{string})"/>.</summary>
    public static OriginAllowlistParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.Split(["\r\n", "\n", "\r"], StringSplitOptions.None));
    }

    /// <summary>
    /// False for an <see cref="Unreadable"/> list. Otherwise true when the list is empty, the client address is inside an IP entry, or the Origin
    /// header matches a URL entry (scheme, host and port; a wildcard entry matches subdomains); with <see cref="RequiresBoth"/>
    /// and both kinds listed, only when the address and the Origin both match.
    /// </summary>
    /// <param name="clientAddress">The caller's address; an IPv4-mapped IPv6 address is matched as IPv4.</param>
    /// <param name="originHeader">The request's <c>Origin</c> header, <c>scheme://host[:port]</c>, if any.</param>
    public bool Allows(IPAddress? clientAddress, string? originHeader)
    {
        if (IsUnreadable)
        {
            return false;
        }

        if (_entries.Length == 0)
        {
            return true;
        }

        bool addressAllowed = _hasIpEntries && clientAddress is not null && AllowsAddress(clientAddress);
        if (RequiresBoth && _hasIpEntries && _hasUrlEntries)
        {
            return addressAllowed && originHeader is not null && AllowsOrigin(originHeader);
        }

        return addressAllowed || (_hasUrlEntries && originHeader is not null && AllowsOrigin(originHeader));
    }

    /// <summary>
    /// Does the Origin header match a URL entry? For a browser's CORS preflight, which carries no keys (so no
    /// application is known and no address rule can be applied to it yet).
    /// </summary>
    public bool AllowsOriginHeader(string originHeader) => !IsUnreadable && _hasUrlEntries && AllowsOrigin(originHeader);

    private bool AllowsAddress(IPAddress clientAddress)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!clientAddress.TryWriteBytes(bytes, out int written))
        {
            return false;
        }

        if (written == 4)
        {
            return AllowsIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        if (clientAddress.IsIPv4MappedToIPv6)
        {
            return AllowsIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        }

        ulong high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        foreach (var range in _ipv6Ranges)
        {
            if ((high & range.HighMask) == range.HighNetwork && (low & range.LowMask) == range.LowNetwork)
            {
                return true;
            }
        }

        return false;
    }

    private bool AllowsIPv4(uint address)
    {
        foreach (var range in _ipv4Ranges)
        {
            if ((address & range.Mask) == range.Network)
            {
                return true;
            }
        }

        return false;
    }

    private bool AllowsOrigin(string originHeader)
    {
        if (!TryReadOrigin(originHeader, out bool https, out ReadOnlySpan<char> host, out int port))
        {
            return false;
        }

        if (_exactHosts.TryGetValue(host, out var targets) && Contains(targets, https, port))
        {
            return true;
        }

        if (!_hasWildcards || host[0] == '[')
        {
            return false;
        }

        // "*.example.com" matches when some proper suffix after a dot is "example.com":
        // a.example.com and a.b.example.com do, example.com and badexample.com do not.
        ReadOnlySpan<char> suffix = host;
        for (int dot = suffix.IndexOf('.'); dot >= 0; dot = suffix.IndexOf('.'))
        {
            suffix = suffix[(dot + 1)..];
            if (_wildcardDomains.TryGetValue(suffix, out targets) && Contains(targets, https, port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads <c>scheme://host[:port]</c> (an optional trailing slash is tolerated) without allocating.</summary>
    private static bool TryReadOrigin(string originHeader, out bool https, out ReadOnlySpan<char> host, out int port)
    {
        host = default;
        port = 0;
        ReadOnlySpan<char> text = originHeader.AsSpan().Trim();

        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            https = true;
            text = text["https://".Length..];
        }
        else if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            https = false;
            text = text["http://".Length..];
        }
        else
        {
            // Includes "null", which browsers send for opaque origins.
            https = false;
            return false;
        }

        if (text.EndsWith('/'))
        {
            text = text[..^1];
        }

        int portStart = text.StartsWith('[') ? text.IndexOf("]:", StringComparison.Ordinal) + 1 : text.LastIndexOf(':');
        if (portStart > 0)
        {
            if (!int.TryParse(text[(portStart + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535)
            {
                return false;
            }

            host = text[..portStart];
        }
        else
        {
            port = https ? 443 : 80;
            host = text;
        }

        // Anything that is not a plain host (path, user-info, empty labels) cannot match an
        // entry, and empty labels would let "a..example.com" reach the wildcard check.
        return !host.IsEmpty
            && host[0] != '.'
            && host[^1] != '.'
            && !host.Contains("..", StringComparison.Ordinal)
            && host.IndexOfAny('/', '@', '?') < 0;
    }

    private static bool Contains(UrlTarget[] targets, bool https, int port)
    {
        foreach (var target in targets)
        {
            if (target.Https == https && target.Port == port)
            {
                return true;
            }
        }

        return false;
    }

    private static void AddRange(IPAddress network, int prefixLength, List<IPv4Range> ipv4, List<IPv6Range> ipv6)
    {
        byte[] bytes = network.GetAddressBytes();
        if (bytes.Length == 4)
        {
            uint mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
            ipv4.Add(new IPv4Range(BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask));
            return;
        }

        ulong highMask = MaskOf(prefixLength);
        ulong lowMask = MaskOf(prefixLength - 64);
        ipv6.Add(new IPv6Range(
            BinaryPrimitives.ReadUInt64BigEndian(bytes) & highMask,
            BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)) & lowMask,
            highMask,
            lowMask));

        // The leading `bits` bits of a 64-bit half set, clamped to 0..64.
        static ulong MaskOf(int bits) => bits switch
        {
            <= 0 => 0ul,
            >= 64 => ulong.MaxValue,
            _ => ulong.MaxValue << (64 - bits),
        };
    }

    private static FrozenDictionary<string, UrlTarget[]>.AlternateLookup<ReadOnlySpan<char>> Freeze(
        Dictionary<string, List<UrlTarget>> targets) =>
        targets
            .ToFrozenDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly record struct IPv4Range(uint Network, uint Mask);

    private readonly record struct IPv6Range(ulong HighNetwork, ulong LowNetwork, ulong HighMask, ulong LowMask);

    private readonly record struct UrlTarget(bool Https, int Port);
}
