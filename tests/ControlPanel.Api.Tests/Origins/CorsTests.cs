using System.Net;
using ControlPanel.Domain.Origins;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Origins;

/// <summary>CORS at the check: preflights without keys, uncounted, for origins some allowlist lists; the origin echoed on answers.</summary>
public sealed class CorsTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    private readonly HttpClient client = factory.CreateApiClient();

    private static HttpRequestMessage Preflight(string origin, string path = "/api/v1/check")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "applicationkey,consumerkey,content-type");
        return request;
    }

    [Fact]
    public async Task A_preflight_passes_without_keys_uncounted_only_for_an_origin_some_allowlist_lists()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "https://*.cors.example.com\n203.0.113.0/24"));

        foreach (var path in new[] { "/api/v1/check", "/api/v1/check/nginx" })
        {
            var allowed = await client.SendAsync(Preflight("https://app.cors.example.com", path));
            Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
            Assert.Equal("https://app.cors.example.com", allowed.HeaderValue("Access-Control-Allow-Origin"));
            Assert.Equal("GET, HEAD, POST, PUT, PATCH, DELETE", allowed.HeaderValue("Access-Control-Allow-Methods"));
            var headers = allowed.HeaderValue("Access-Control-Allow-Headers");
            foreach (var name in new[] { "APPLICATIONKEY", "CONSUMERKEY", "Authorization" }) Assert.Contains(name, headers);
            Assert.Equal("600", allowed.HeaderValue("Access-Control-Max-Age"));
            Assert.Contains("Origin", allowed.Headers.Vary);
            // Uncounted: no window is touched, so no limit headers.
            Assert.False(allowed.Headers.Contains("X-RateLimit-Limit"));
        }

        // Not listed anywhere (an IP entry does not make an origin a browser origin): refused, no CORS headers.
        var refused = await client.SendAsync(Preflight("https://other.example.net"));
        await refused.AssertBodyAsync(HttpStatusCode.Forbidden, 111);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        // Preflights do not spend the application's window: its first real call still has 99 left.
        var call = await client.SendAsync(Check(application).From(Stranger).Header("Origin", "https://app.cors.example.com"));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("99", call.HeaderValue("X-RateLimit-Remaining"));
        Assert.Equal("https://app.cors.example.com", call.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Contains("Origin", call.Headers.Vary);
    }

    [Fact]
    public async Task The_real_call_is_checked_against_its_own_applications_allowlist()
    {
        var listing = await factory.CreateApplicationAsync();
        var other = await factory.CreateApplicationAsync();
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, listing.Id, "https://listed.example.com"));
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, other.Id, "https://elsewhere.example.com"));

        // The preflight passes (some allowlist lists the origin) but the other application's keys are refused, readably.
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Preflight("https://listed.example.com"))).StatusCode);
        var refused = await client.SendAsync(Check(other).From(Stranger).Header("Origin", "https://listed.example.com"));
        await refused.AssertErrorAsync(HttpStatusCode.Forbidden, 111);
        Assert.Equal("https://listed.example.com", refused.HeaderValue("Access-Control-Allow-Origin"));

        // An origin nobody lists gets no Access-Control-Allow-Origin, whatever the answer.
        var unlisted = await client.SendAsync(Check(listing).From(Stranger).Header("Origin", "https://nobody.example.com"));
        await unlisted.AssertErrorAsync(HttpStatusCode.Forbidden, 111);
        Assert.False(unlisted.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Contains("Origin", unlisted.Headers.Vary);

        // Removing the entry removes the origin from the preflight index at once (the change feed).
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, listing.Id, ""));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Preflight("https://listed.example.com"))).StatusCode);
    }
}
