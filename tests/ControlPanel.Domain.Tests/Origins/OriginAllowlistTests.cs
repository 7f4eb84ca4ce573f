using System.Net;
using ControlPanel.Domain.Origins;

namespace ControlPanel.Domain.Tests.Origins;

public class OriginAllowlistTests
{
    private static readonly IPAddress SomeClient = IPAddress.Parse("198.51.100.77");

    private static OriginAllowlist ListOf(params string[] lines) => OriginAllowlist.Parse(lines).ToAllowlist();

    [Fact]
    public void Empty_list_allows_everything()
    {
        var list = ListOf();

        Assert.True(list.IsEmpty);
        Assert.True(list.Allows(SomeClient, "https://anything.example"));
        Assert.True(list.Allows(null, null));
        Assert.True(OriginAllowlist.Empty.Allows(SomeClient, null));
    }

    [Fact]
    public void A_list_with_entries_is_not_empty_and_refuses_an_unknown_caller()
    {
        var list = ListOf("https://app.example.com");

        Assert.False(list.IsEmpty);
        Assert.False(list.Allows(SomeClient, null));
        Assert.False(list.Allows(null, null));
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://app.example.com/", true)]
    [InlineData("https://APP.Example.COM", true)]
    [InlineData("HTTPS://app.example.com", true)]
    [InlineData("https://app.example.com:443", true)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://app.example.com:8443", false)]
    [InlineData("https://example.com", false)]
    [InlineData("https://www.app.example.com", false)]
    [InlineData("https://app.example.com.evil.test", false)]
    [InlineData("https://app.example.com/path", false)]
    [InlineData("https://user@app.example.com", false)]
    [InlineData("app.example.com", false)]
    [InlineData("null", false)]
    [InlineData("", false)]
    public void Url_entry_matches_exact_scheme_host_and_port(string origin, bool allowed)
    {
        var list = ListOf("https://app.example.com");

        Assert.Equal(allowed, list.Allows(SomeClient, origin));
    }

    [Theory]
    [InlineData("http://localhost:3000", true)]
    [InlineData("http://localhost", false)]
    [InlineData("http://localhost:3001", false)]
    [InlineData("http://localhost:80", false)]
    [InlineData("http://localhost:abc", false)]
    [InlineData("http://localhost:99999", false)]
    [InlineData("https://localhost:3000", false)]
    public void Url_entry_with_a_port_needs_that_port(string origin, bool allowed)
    {
        var list = ListOf("http://localhost:3000");

        Assert.Equal(allowed, list.Allows(null, origin));
    }

    [Theory]
    [InlineData("http://example.com", true)]
    [InlineData("http://example.com:80", true)]
    [InlineData("http://example.com:8080", false)]
    public void Default_port_in_entry_or_header_is_the_same_as_none(string origin, bool allowed)
    {
        var list = ListOf("http://example.com:80");

        Assert.Equal(allowed, list.Allows(null, origin));
    }

    [Theory]
    [InlineData("https://sub.example.com", true)]
    [InlineData("https://a.b.example.com", true)]
    [InlineData("https://SUB.EXAMPLE.COM", true)]
    [InlineData("https://example.com", false)]
    [InlineData("https://badexample.com", false)]
    [InlineData("https://sub.badexample.com", false)]
    [InlineData("https://example.com.evil.test", false)]
    [InlineData("https://.example.com", false)]
    [InlineData("https://a..example.com", false)]
    [InlineData("http://sub.example.com", false)]
    [InlineData("https://sub.example.com:8443", false)]
    public void Wildcard_entry_matches_subdomains_but_not_the_apex(string origin, bool allowed)
    {
        var list = ListOf("https://*.example.com");

        Assert.Equal(allowed, list.Allows(null, origin));
    }

    [Fact]
    public void Wildcard_and_apex_can_be_allowed_together()
    {
        var list = ListOf("https://*.example.com", "https://example.com");

        Assert.True(list.Allows(null, "https://example.com"));
        Assert.True(list.Allows(null, "https://www.example.com"));
    }

    [Fact]
    public void Wildcard_entry_with_a_port_needs_that_port()
    {
        var list = ListOf("https://*.example.com:8443");

        Assert.True(list.Allows(null, "https://api.example.com:8443"));
        Assert.False(list.Allows(null, "https://api.example.com"));
    }

    [Fact]
    public void Nested_wildcards_match_at_any_level()
    {
        var list = ListOf("https://*.eu.example.com");

        Assert.True(list.Allows(null, "https://shop.eu.example.com"));
        Assert.False(list.Allows(null, "https://shop.us.example.com"));
        Assert.False(list.Allows(null, "https://eu.example.com"));
    }

    [Fact]
    public void International_host_matches_its_punycode_origin()
    {
        var list = ListOf("https://bücher.example");

        Assert.True(list.Allows(null, "https://xn--bcher-kva.example"));
    }

    [Fact]
    public void Ipv6_literal_origin_matches()
    {
        var list = ListOf("http://[::1]:3000");

        Assert.True(list.Allows(null, "http://[::1]:3000"));
        Assert.False(list.Allows(null, "http://[::1]"));
        Assert.False(list.Allows(null, "http://[::2]:3000"));
    }

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("203.0.113.8", false)]
    [InlineData("::ffff:203.0.113.7", true)]
    [InlineData("2001:db8::1", false)]
    public void Single_ipv4_entry_matches_that_address(string client, bool allowed)
    {
        var list = ListOf("203.0.113.7");

        Assert.Equal(allowed, list.Allows(IPAddress.Parse(client), null));
    }

    [Theory]
    [InlineData("10.0.0.0", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("10.20.30.40", true)]
    [InlineData("11.0.0.0", false)]
    [InlineData("9.255.255.255", false)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("::ffff:11.1.2.3", false)]
    public void Ipv4_cidr_entry_matches_its_range(string client, bool allowed)
    {
        var list = ListOf("10.1.2.3/8");

        Assert.Equal(allowed, list.Allows(IPAddress.Parse(client), null));
    }

    [Theory]
    [InlineData("192.168.128.0", true)]
    [InlineData("192.168.255.254", true)]
    [InlineData("192.168.127.255", false)]
    [InlineData("192.169.128.0", false)]
    public void Ipv4_cidr_with_an_odd_prefix_matches_its_range(string client, bool allowed)
    {
        var list = ListOf("192.168.128.0/17");

        Assert.Equal(allowed, list.Allows(IPAddress.Parse(client), null));
    }

    [Fact]
    public void Ipv4_zero_prefix_matches_every_ipv4_client_but_no_ipv6_client()
    {
        var list = ListOf("0.0.0.0/0");

        Assert.True(list.Allows(IPAddress.Parse("1.2.3.4"), null));
        Assert.True(list.Allows(IPAddress.Parse("255.255.255.255"), null));
        Assert.False(list.Allows(IPAddress.Parse("2001:db8::1"), null));
    }

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:DB8:0:0:0:0:0:1", true)]
    [InlineData("2001:db8::2", false)]
    [InlineData("203.0.113.7", false)]
    public void Single_ipv6_entry_matches_that_address(string client, bool allowed)
    {
        var list = ListOf("2001:db8::1");

        Assert.Equal(allowed, list.Allows(IPAddress.Parse(client), null));
    }

    [Theory]
    [InlineData("2001:db8::", true)]
    [InlineData("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db9::", false)]
    [InlineData("2001:db7:ffff::", false)]
    public void Ipv6_cidr_with_a_short_prefix_matches_its_range(string client, bool allowed)
    {
        var list = ListOf("2001:db8::/32");

        Assert.Equal(allowed, list.Allows(IPAddress.Parse(client), null));
    }

    [Theory]
    [InlineData("2001:db8:0:0:1234::", true)]
    [InlineData("2001:db8:0:0:13ff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:0:0:1400::", false)]
    [InlineData("2001:db8:0:1:1234::", false)]
    public void Ipv6_cidr_with_a_prefix_past_64_bits_matches_its_range(string client, bool allowed)
    {
        // /70: the whole high half plus six bits of the low half.
        var list = ListOf("2001:db8::1234:0:0:0/70");

        Assert.Equal(allowed, list.Allows(IPAddress.Parse(client), null));
    }

    [Fact]
    public void Ipv6_client_with_a_zone_index_matches_on_its_address()
    {
        var list = ListOf("fe80::/10");

        Assert.True(list.Allows(IPAddress.Parse("fe80::1%2"), null));
    }

    [Fact]
    public void Ipv4_mapped_entry_matches_plain_ipv4_client()
    {
        var list = ListOf("::ffff:203.0.113.0/120");

        Assert.Equal("203.0.113.0/24", list.Entries.Single().ToString());
        Assert.True(list.Allows(IPAddress.Parse("203.0.113.99"), null));
        Assert.True(list.Allows(IPAddress.Parse("203.0.113.99").MapToIPv6(), null));
    }

    [Fact]
    public void Either_address_or_origin_is_enough()
    {
        var list = ListOf("203.0.113.7", "https://app.example.com");

        Assert.True(list.Allows(IPAddress.Parse("203.0.113.7"), "https://evil.test"));
        Assert.True(list.Allows(IPAddress.Parse("192.0.2.1"), "https://app.example.com"));
        Assert.False(list.Allows(IPAddress.Parse("192.0.2.1"), "https://evil.test"));
    }

    [Fact]
    public void Ip_only_list_ignores_the_origin_header()
    {
        var list = ListOf("203.0.113.7");

        Assert.False(list.Allows(IPAddress.Parse("192.0.2.1"), "https://app.example.com"));
    }

    [Fact]
    public void Parse_normalises_and_removes_duplicates_keeping_first_order()
    {
        var result = OriginAllowlist.Parse(
        [
            "https://App.Example.com",
            "10.0.0.5/8",
            "https://app.example.com:443/",
            "10.0.0.0/8",
            "::ffff:10.0.0.0/104",
            "https://*.example.com",
        ]);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        Assert.Equal(["https://app.example.com", "10.0.0.0/8", "https://*.example.com"], result.Entries.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_skips_blank_lines_and_reports_errors_by_line_number()
    {
        var result = OriginAllowlist.Parse(
        [
            "https://app.example.com",
            "",
            "   ",
            "https://app.example.com/login",
            "10.0.0.0/33",
            "203.0.113.7",
        ]);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                new OriginLineError(4, "https://app.example.com/login", "A URL origin has no path, query or fragment."),
                new OriginLineError(5, "10.0.0.0/33", "Prefix length must be 0-32 for IPv4."),
            ],
            result.Errors);
        Assert.Equal(["https://app.example.com", "203.0.113.7"], result.Entries.Select(e => e.ToString()));
    }

    [Fact]
    public void An_allowlist_cannot_be_built_from_a_result_with_errors()
    {
        var result = OriginAllowlist.Parse(["https://app.example.com", "not an origin"]);

        Assert.Throws<InvalidOperationException>(() => result.ToAllowlist());
    }

    [Fact]
    public void Parse_of_text_splits_any_line_ending()
    {
        var result = OriginAllowlist.Parse("https://a.example.com\r\nhttps://b.example.com\n\nbad\rhttps://c.example.com");

        Assert.Equal(3, result.Entries.Count);
        Assert.Equal(4, Assert.Single(result.Errors).LineNumber);
    }

    [Fact]
    public void Constructor_removes_duplicate_entries()
    {
        var list = new OriginAllowlist([OriginEntry.Parse("https://a.example.com"), OriginEntry.Parse("HTTPS://A.example.com:443")]);

        Assert.Single(list.Entries);
    }

    [Fact]
    public void Matching_does_not_allocate()
    {
        var list = ListOf("10.0.0.0/8", "2001:db8::/32", "https://app.example.com", "https://*.example.com", "http://localhost:3000");
        var ipv4Client = IPAddress.Parse("192.0.2.1");
        var mappedClient = IPAddress.Parse("::ffff:10.1.2.3");
        var ipv6Client = IPAddress.Parse("2001:db8::5");
        bool Run() =>
            list.Allows(ipv4Client, "https://a.b.example.com")
            & list.Allows(mappedClient, null)
            & list.Allows(ipv6Client, null)
            & list.Allows(ipv4Client, "http://localhost:3000")
            & !list.Allows(ipv4Client, "https://evil.test:8443");

        for (int i = 0; i < 1_000; i++)
        {
            Assert.True(Run()); // warm up
        }

        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                Run();
            }
        }));
    }

    [Theory]
    [InlineData(false, "203.0.113.5", "https://other.example", true)]
    [InlineData(false, "192.0.2.1", "https://app.example.com", true)]
    [InlineData(false, "192.0.2.1", "https://other.example", false)]
    [InlineData(true, "203.0.113.5", "https://app.example.com", true)]
    [InlineData(true, "203.0.113.5", "https://other.example", false)]
    [InlineData(true, "203.0.113.5", null, false)]
    [InlineData(true, "192.0.2.1", "https://app.example.com", false)]
    public void With_both_kinds_the_rule_decides_whether_either_admits_or_both_must_match(bool requiresBoth, string address, string? origin, bool allowed)
    {
        var list = OriginAllowlist.FromStored("https://app.example.com\n203.0.113.0/24", requiresBoth);

        Assert.Equal(requiresBoth, list.RequiresBoth);
        Assert.Equal(allowed, list.Allows(System.Net.IPAddress.Parse(address), origin));
    }

    [Fact]
    public void With_one_kind_listed_requiring_both_changes_nothing()
    {
        var addresses = OriginAllowlist.FromStored("203.0.113.0/24", requiresBoth: true);
        var origins = OriginAllowlist.FromStored("https://app.example.com", requiresBoth: true);

        Assert.True(addresses.Allows(System.Net.IPAddress.Parse("203.0.113.5"), null));
        Assert.True(origins.Allows(System.Net.IPAddress.Parse("192.0.2.1"), "https://app.example.com"));
        Assert.False(origins.Allows(System.Net.IPAddress.Parse("192.0.2.1"), null));
    }
}
