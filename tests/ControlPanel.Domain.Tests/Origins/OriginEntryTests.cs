using System.Net;
using ControlPanel.Domain.Origins;

namespace ControlPanel.Domain.Tests.Origins;

public class OriginEntryTests
{
    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("  https://app.example.com  ", "https://app.example.com")]
    [InlineData("https://app.example.com/", "https://app.example.com")]
    [InlineData("HTTPS://App.EXAMPLE.com", "https://app.example.com")]
    [InlineData("http://localhost:3000", "http://localhost:3000")]
    [InlineData("https://app.example.com:443", "https://app.example.com")]
    [InlineData("http://app.example.com:80", "http://app.example.com")]
    [InlineData("http://app.example.com:443", "http://app.example.com:443")]
    [InlineData("https://app.example.com:80", "https://app.example.com:80")]
    [InlineData("https://app.example.com:08443", "https://app.example.com:8443")]
    [InlineData("https://*.example.com", "https://*.example.com")]
    [InlineData("https://*.Example.COM:8443/", "https://*.example.com:8443")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    [InlineData("https://*.BÜCHER.example", "https://*.xn--bcher-kva.example")]
    [InlineData("http://10.0.0.1:8080", "http://10.0.0.1:8080")]
    [InlineData("http://[2001:DB8:0:0::1]:8080", "http://[2001:db8::1]:8080")]
    [InlineData("https://[::1]:443", "https://[::1]")]
    public void Url_origins_are_normalised(string input, string expected)
    {
        Assert.True(OriginEntry.TryParse(input, out var entry, out var error), error);

        Assert.Equal(OriginKind.Url, entry.Kind);
        Assert.Equal(expected, entry.ToString());
        Assert.Null(error);
    }

    [Fact]
    public void Url_entry_exposes_its_parts()
    {
        var entry = OriginEntry.Parse("https://*.Example.com:8443");

        Assert.Equal("https", entry.Scheme);
        Assert.Equal("example.com", entry.Host);
        Assert.Equal(8443, entry.Port);
        Assert.True(entry.IsWildcard);
        Assert.Null(entry.Address);
        Assert.Null(entry.PrefixLength);
    }

    [Fact]
    public void Default_port_is_not_stored()
    {
        var entry = OriginEntry.Parse("https://app.example.com:443");

        Assert.Null(entry.Port);
        Assert.False(entry.IsWildcard);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7", 32)]
    [InlineData("203.0.113.7/32", "203.0.113.7", 32)]
    [InlineData("203.0.113.0/24", "203.0.113.0/24", 24)]
    [InlineData("10.0.0.5/8", "10.0.0.0/8", 8)]
    [InlineData("192.168.255.255/17", "192.168.128.0/17", 17)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", 0)]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1", 128)]
    [InlineData("2001:db8::1/128", "2001:db8::1", 128)]
    [InlineData("2001:db8:abcd:12::1/32", "2001:db8::/32", 32)]
    [InlineData("2001:db8::ff/121", "2001:db8::80/121", 121)]
    [InlineData("::1", "::1", 128)]
    [InlineData("::ffff:198.51.100.9", "198.51.100.9", 32)]
    [InlineData("::ffff:198.51.100.0/120", "198.51.100.0/24", 24)]
    public void Ip_entries_are_normalised(string input, string expected, int prefixLength)
    {
        Assert.True(OriginEntry.TryParse(input, out var entry, out var error), error);

        Assert.Equal(OriginKind.Ip, entry.Kind);
        Assert.Equal(expected, entry.ToString());
        Assert.Equal(prefixLength, entry.PrefixLength);
        Assert.Equal(IPAddress.Parse(expected.Split('/')[0]), entry.Address);
        Assert.Null(entry.Scheme);
        Assert.Null(entry.Host);
    }

    [Theory]
    [InlineData("", "Enter a URL origin such as https://app.example.com or an IP address or CIDR range such as 203.0.113.0/24.")]
    [InlineData("   ", "Enter a URL origin such as https://app.example.com or an IP address or CIDR range such as 203.0.113.0/24.")]
    [InlineData("!!!", "Enter a URL origin such as https://app.example.com or an IP address or CIDR range such as 203.0.113.0/24.")]
    [InlineData("app.example.com", "A URL origin starts with http:// or https://, as in https://app.example.com.")]
    [InlineData("https://app.example.com/path", "A URL origin has no path, query or fragment.")]
    [InlineData("https://app.example.com//", "A URL origin has no path, query or fragment.")]
    [InlineData("https://app.example.com?x=1", "A URL origin has no path, query or fragment.")]
    [InlineData("https://app.example.com#top", "A URL origin has no path, query or fragment.")]
    [InlineData("https://user:secret@app.example.com", "A URL origin cannot contain a user name or password.")]
    [InlineData("ftp://files.example.com", "Only http:// and https:// origins are allowed.")]
    [InlineData("ws://app.example.com", "Only http:// and https:// origins are allowed.")]
    [InlineData("://app.example.com", "Only http:// and https:// origins are allowed.")]
    [InlineData("https://", "A URL origin needs a host name, as in https://app.example.com.")]
    [InlineData("https://:8080", "A URL origin needs a host name, as in https://app.example.com.")]
    [InlineData("https://app.example.com:0", "The port must be a number from 1 to 65535.")]
    [InlineData("https://app.example.com:65536", "The port must be a number from 1 to 65535.")]
    [InlineData("https://app.example.com:", "The port must be a number from 1 to 65535.")]
    [InlineData("https://app.example.com:http", "The port must be a number from 1 to 65535.")]
    [InlineData("https://*example.com", "A wildcard is allowed only as the whole first label, as in https://*.example.com.")]
    [InlineData("https://app.*.example.com", "A wildcard is allowed only as the whole first label, as in https://*.example.com.")]
    [InlineData("https://*.*.example.com", "A wildcard is allowed only as the whole first label, as in https://*.example.com.")]
    [InlineData("https://*", "A wildcard is allowed only as the whole first label, as in https://*.example.com.")]
    [InlineData("https://*.com", "A wildcard needs a domain with at least two labels, as in https://*.example.com.")]
    [InlineData("https://*.10.0.0.1", "A wildcard cannot be used with an IP address.")]
    [InlineData("https://app example.com", "An entry cannot contain spaces.")]
    [InlineData("10.0.0.0 /8", "An entry cannot contain spaces.")]
    [InlineData("https://2001:db8::1", "Put an IPv6 address in brackets, as in http://[2001:db8::1]:8080.")]
    [InlineData("https://[2001:db8::zz]", "'[2001:db8::zz]' is not a valid IPv6 address in brackets.")]
    [InlineData("https://[2001:db8::1", "'[2001:db8::1' is not a valid IPv6 address in brackets.")]
    [InlineData("https://app_1.example.com", "'app_1.example.com' is not a valid host name.")]
    [InlineData("https://-app.example.com", "'-app.example.com' is not a valid host name.")]
    [InlineData("https://app..example.com", "'app..example.com' is not a valid host name.")]
    [InlineData("https://app.example.com.", "'app.example.com.' is not a valid host name.")]
    [InlineData("https://999.1.1.1", "'999.1.1.1' is not a valid host name or IPv4 address.")]
    [InlineData("10.0.0.0/33", "Prefix length must be 0-32 for IPv4.")]
    [InlineData("10.0.0.0/", "Prefix length must be 0-32 for IPv4.")]
    [InlineData("10.0.0.0/-1", "Prefix length must be 0-32 for IPv4.")]
    [InlineData("10.0.0.0/8/8", "Prefix length must be 0-32 for IPv4.")]
    [InlineData("2001:db8::/129", "Prefix length must be 0-128 for IPv6.")]
    [InlineData("256.0.0.1", "'256.0.0.1' is not a valid IPv4 address.")]
    [InlineData("10.0.0", "'10.0.0' is not a valid IPv4 address.")]
    [InlineData("10", "'10' is not a valid IPv4 address.")]
    [InlineData("10.0.0.1.2", "'10.0.0.1.2' is not a valid IPv4 address.")]
    [InlineData("010.0.0.1", "'010.0.0.1' is not a valid IPv4 address.")]
    [InlineData("2001:db8:::1", "'2001:db8:::1' is not a valid IPv6 address.")]
    [InlineData("fe80::1%3", "An IP address in an allowlist cannot have a zone index (the part after %).")]
    public void Malformed_entries_give_a_human_error(string input, string expectedError)
    {
        Assert.False(OriginEntry.TryParse(input, out var entry, out var error));

        Assert.Null(entry);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void Null_input_gives_the_expected_form_error()
    {
        Assert.False(OriginEntry.TryParse(null, out _, out var error));
        Assert.StartsWith("Enter a URL origin", error);
    }

    [Fact]
    public void Entries_longer_than_255_characters_are_rejected()
    {
        // Five 50-letter labels: every label is valid, only the total is too long.
        string tooLong = "https://" + string.Join('.', Enumerable.Range(0, 5).Select(i => new string((char)('a' + i), 50))) + ".com";
        Assert.Equal(266, tooLong.Length);

        Assert.False(OriginEntry.TryParse(tooLong, out _, out var error));
        Assert.Equal("An entry can be at most 255 characters.", error);
    }

    [Fact]
    public void A_host_label_longer_than_63_characters_is_rejected()
    {
        Assert.False(OriginEntry.TryParse($"https://{new string('a', 64)}.example.com", out _, out var error));
        Assert.EndsWith("is not a valid host name.", error);
    }

    [Fact]
    public void Parse_throws_with_the_human_message()
    {
        var exception = Assert.Throws<FormatException>(() => OriginEntry.Parse("https://app.example.com/path"));

        Assert.Equal("A URL origin has no path, query or fragment.", exception.Message);
    }

    [Theory]
    [InlineData("https://App.Example.com:443/", "https://app.example.com")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("::ffff:10.0.0.1", "10.0.0.1")]
    public void Entries_with_the_same_normalised_form_are_equal(string left, string right)
    {
        var a = OriginEntry.Parse(left);
        var b = OriginEntry.Parse(right);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Different_entries_are_not_equal()
    {
        Assert.NotEqual(OriginEntry.Parse("https://example.com"), OriginEntry.Parse("http://example.com"));
        Assert.NotEqual(OriginEntry.Parse("https://example.com"), OriginEntry.Parse("https://*.example.com"));
        Assert.NotEqual(OriginEntry.Parse("10.0.0.0/8"), OriginEntry.Parse("10.0.0.0/16"));
    }

    [Fact]
    public void Normalised_text_parses_back_to_the_same_entry()
    {
        string[] inputs =
        [
            "HTTPS://*.Bücher.example:8443/", "http://[2001:DB8::1]", "10.9.8.7/12", "2001:db8::1:0:0:1/64", "::ffff:1.2.3.4",
        ];

        Assert.All(inputs, input =>
        {
            var entry = OriginEntry.Parse(input);
            Assert.Equal(entry, OriginEntry.Parse(entry.ToString()));
        });
    }
}
