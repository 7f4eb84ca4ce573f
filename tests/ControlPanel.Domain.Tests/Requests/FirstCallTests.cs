using ControlPanel.Domain.Requests;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Requests;

/// <summary>The first call offered to an owner works as shown against the address their browser used.</summary>
public sealed class FirstCallTests
{
    private const string ApplicationKey = "0123456789abcdef0123456789abcdef";
    private const string ConsumerKey = "fedcba9876543210fedcba9876543210";

    private static FirstCall With(bool requireHttps = true, params string[] trustedProxies) =>
        new(Options.Create(new ApiOptions { RequireHttps = requireHttps, TrustedProxies = trustedProxies }));

    [Fact]
    public void Over_https_the_command_is_plain()
    {
        var firstCall = With();
        var way = firstCall.For(new Uri("https://panel.example.com/"));
        Assert.True(way.Works);
        Assert.False(way.ForwardedProto);
        Assert.Equal($"curl -i -H 'APPLICATIONKEY: {ApplicationKey}' -H 'CONSUMERKEY: {ConsumerKey}' https://panel.example.com/api/v1/check",
            firstCall.CheckCommand(way, ApplicationKey, ConsumerKey));
    }

    [Fact]
    public void Plain_http_on_a_trusted_loopback_says_the_call_was_https_as_a_gateway_would()
    {
        var firstCall = With(true, "127.0.0.1", "::1");
        var way = firstCall.For(new Uri("http://127.0.0.1:5080/"));
        Assert.True(way.Works);
        Assert.True(way.ForwardedProto);
        Assert.Equal($"curl -i -H 'X-Forwarded-Proto: https' -H 'APPLICATIONKEY: {ApplicationKey}' -H 'CONSUMERKEY: {ConsumerKey}' http://127.0.0.1:5080/api/v1/check",
            firstCall.CheckCommand(way, ApplicationKey, ConsumerKey));
        Assert.All(firstCall.Steps(way).Skip(1), step => Assert.Contains("-H 'X-Forwarded-Proto: https'", step.Command));
        Assert.True(firstCall.For(new Uri("http://localhost:5080/")).ForwardedProto);
        Assert.True(firstCall.For(new Uri("http://[::1]:5080/")).ForwardedProto);
    }

    [Theory]
    [InlineData("http://panel.example.com/")] // another host: its callers' addresses are not this machine's
    [InlineData("http://192.168.1.20:5080/")]
    public void Plain_http_elsewhere_offers_no_command_when_https_is_required(string address)
    {
        var way = With(true, "127.0.0.1", "::1").For(new Uri(address));
        Assert.False(way.Works);
    }

    [Fact]
    public void Loopback_that_is_not_trusted_or_trusted_for_one_family_only_offers_no_command()
    {
        Assert.False(With().For(new Uri("http://127.0.0.1:5080/")).Works);
        // curl to localhost may go over IPv6: both must be trusted.
        Assert.False(With(true, "127.0.0.1").For(new Uri("http://localhost:5080/")).Works);
        Assert.True(With(true, "127.0.0.0/8", "::1").For(new Uri("http://localhost:5080/")).Works);
    }

    [Fact]
    public void Without_required_https_plain_http_works_as_it_is()
    {
        var way = With(requireHttps: false).For(new Uri("http://panel.internal:8080/cp/"));
        Assert.True(way.Works);
        Assert.False(way.ForwardedProto);
        Assert.Equal("http://panel.internal:8080/cp/api/v1/", way.ApiBase);
    }
}
