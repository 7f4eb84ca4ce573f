using System.Net;
using System.Net.Sockets;

namespace ControlPanel.Domain.Limits;

/// <summary>
/// Who an application-only rate limit counts as one client. An IPv4 address is one client; an IPv6
/// client is its /64, because a single subscriber is normally given a whole /64 and could otherwise
/// take a fresh limit from each of its 2^64 addresses. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
/// the IPv4 address it carries, so a dual-stack listener does not split one client in two.
/// </summary>
public static class ClientAddressGroup
{
    public const string Unknown = "unknown";

    /// <summary>The partition text for <paramref name="address"/>: <c>203.0.113.7</c>, <c>2001:db8:1:2::/64</c> or <c>unknown</c>.</summary>
    public static string Of(IPAddress? address)
    {
        if (address is null) return Unknown;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
