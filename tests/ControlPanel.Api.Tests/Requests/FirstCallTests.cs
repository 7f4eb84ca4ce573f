using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Tests;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Requests;

/// <summary>A new user's first call: plain HTTP says what to do, and the README's example works with the shipped defaults.</summary>
public sealed partial class FirstCallTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    [Fact]
    public async Task Plain_http_says_what_to_do_and_a_trusted_proxys_forwarded_https_is_the_first_call_that_works()
    {
        var application = await factory.CreateApplicationAsync();
        var http = await factory.CreateClient().SendAsync(Check(application));
        var body = await http.ReadErrorAsync();
        Assert.Equal(101, body.Error);
        Assert.Contains("HTTPS", body.ExtraInfo);
        Assert.Contains("X-Forwarded-Proto", body.ExtraInfo);
        Assert.Contains("Api:TrustedProxies", body.ExtraInfo);

        // The README's first call: curl on the app's own host is a trusted proxy (loopback) and says the call was HTTPS.
        var first = await factory.CreateClient().SendAsync(Check(application).From(Gateway).Header("X-Forwarded-Proto", "https"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // From an untrusted address the same header is not believed.
        var stranger = await factory.CreateClient().SendAsync(Check(application).From(Stranger).Header("X-Forwarded-Proto", "https"));
        await stranger.AssertErrorAsync(HttpStatusCode.UpgradeRequired, 101);
    }

    [Fact]
    public async Task The_readmes_first_call_works_with_the_shipped_configuration()
    {
        // The example relies on what appsettings.json ships: HTTPS required, loopback a trusted proxy (as this factory sets).
        using var settings = JsonDocument.Parse(File.ReadAllText(Repository.Path("appsettings.json")));
        var api = settings.RootElement.GetProperty("Api");
        Assert.True(api.GetProperty("RequireHttps").GetBoolean());
        Assert.Contains("127.0.0.1", api.GetProperty("TrustedProxies").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("http://127.0.0.1:5080", settings.RootElement.GetProperty("Urls").GetString());

        // The curl command of "The first API call", replayed from loopback over plain HTTP.
        var readme = File.ReadAllText(Repository.Path("README.md"));
        var section = readme[readme.IndexOf("## The first API call", StringComparison.Ordinal)..];
        var command = section[section.IndexOf("```sh", StringComparison.Ordinal)..section.IndexOf("# HTTP/1.1 200 OK", StringComparison.Ordinal)];
        var url = new Uri(UrlPattern().Match(command).Value);
        var application = await factory.CreateApplicationAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery).From(url.Host);
        foreach (Match header in HeaderPattern().Matches(command))
            request.Header(header.Groups[1].Value, header.Groups[2].Value
                .Replace("<application key>", application.ApplicationKey).Replace("<consumer key>", application.ConsumerKey));

        var response = await factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(application.Id.ToString(), response.HeaderValue("X-ControlPanel-Application"));
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:5080/\S+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"-H '([^:']+): ([^']+)'")]
    private static partial Regex HeaderPattern();
}
