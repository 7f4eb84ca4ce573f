using System.Net;
using System.Net.Sockets;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// The addresses webhooks must never reach: a URL pointing inside the network (or at a cloud
/// metadata service) would let an account owner probe or attack it through us.
/// </summary>
public static class NetworkAddressRules
{
    private static readonly (IPNetwork Range, string Kind)[] Refused =
    [
        // Metadata services first, so they are named as such rather than as link-local or private.
        (IPNetwork.Parse("169.254.169.254/32"), "a cloud metadata"),
        (IPNetwork.Parse("168.63.129.16/32"), "a cloud metadata"),
        (IPNetwork.Parse("100.100.100.200/32"), "a cloud metadata"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "a cloud metadata"),
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private"),
        (IPNetwork.Parse("100.64.0.0/10"), "a private (carrier-grade NAT)"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local"),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved"),
        (IPNetwork.Parse("198.18.0.0/15"), "a reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved"),
        (IPNetwork.Parse("::/128"), "an unspecified"),
        (IPNetwork.Parse("::1/128"), "a loopback"),
        (IPNetwork.Parse("fc00::/7"), "a private"),
        // Deprecated site-local addresses (RFC 3879) still route inside some networks.
        (IPNetwork.Parse("fec0::/10"), "a private (site-local)"),
        // Local-use NAT64 (RFC 8215): its IPv4 address may sit anywhere after the prefix, so the whole range is refused.
        (IPNetwork.Parse("64:ff9b:1::/48"), "a private (local-use NAT64)"),
        (IPNetwork.Parse("fe80::/10"), "a link-local"),
        (IPNetwork.Parse("ff00::/8"), "a multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");

    /// <summary>Why the address is refused ("a loopback", "a private", ...), or null when webhooks may reach it.</summary>
    public static string? WhyRefused(IPAddress address)
    {
        // IPv4 carried in IPv6 is judged as the IPv4 address it carries: ::ffff:10.0.0.1 (mapped),
        // 64:ff9b::10.0.0.1 (NAT64), 2002:0a00:0001:: (6to4) and ::10.0.0.1 (IPv4-compatible).
        if (address.IsIPv4MappedToIPv6) return Listed(address.MapToIPv4());
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (Nat64.Contains(address)) return Listed(new IPAddress(bytes[12..]));
            if (SixToFour.Contains(address)) return Listed(new IPAddress(bytes[2..6]));
            // IPv4-compatible addresses are deprecated (RFC 4291) and never public: refused even around a public IPv4.
            if (IPv4Compatible.Contains(address) && Listed(address) is null)
                return Listed(new IPAddress(bytes[12..])) ?? "a reserved (IPv4-compatible)";
        }
        return Listed(address);
    }

    private static string? Listed(IPAddress address)
    {
        foreach (var (range, kind) in Refused)
            if (range.BaseAddress.AddressFamily == address.AddressFamily && range.Contains(address))
                return kind;
        return null;
    }
}
