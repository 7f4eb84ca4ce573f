using System.Net;
using System.Net.WebSockets;
using System.Text;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Usage;
using ControlPanel.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Model;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.GatewayMode;

/// <summary>Gateway mode over HTTP: the check in front of a real upstream on loopback, through YARP.</summary>
public sealed class GatewayTests(GatewayApp app) : IClassFixture<GatewayApp>
{
    private ControlPanelFactory Factory => app.Factory;
    private HttpClient Client => app.Client;

    private static HttpRequestMessage Call(ControlPanelFactory.TestApplication application, string path = "/orders/42", HttpMethod? method = null) =>
        Check(KeyStyle.Headers, application.ApplicationKey, application.ConsumerKey, path, method);

    /// <summary>Requests the upstream saw at <paramref name="path"/>.</summary>
    private static List<TestUpstream.Seen> SeenAt(TestUpstream upstream, string path) => [.. upstream.Requests.Where(r => r.Path == path)];

    [Fact]
    public async Task An_allowed_call_reaches_the_upstream_with_the_callers_identity_and_without_its_keys()
    {
        var application = await Factory.CreateApplicationAsync(ApplicationEnvironment.Live);
        var path = $"/orders/{Guid.NewGuid():N}?page=2";
        // A client's own identity header is not believed.
        var response = await Client.SendAsync(Call(application, path).Header("X-ControlPanel-Application", Guid.Empty.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("100", response.HeaderValue("X-RateLimit-Limit"));
        Assert.Equal("99", response.HeaderValue("X-RateLimit-Remaining"));
        var seen = Assert.Single(SeenAt(app.Upstream, path));
        Assert.Equal("GET", seen.Method);
        Assert.Equal(application.Id.ToString(), seen.Headers["X-ControlPanel-Application"]);
        Assert.Equal("Live", seen.Headers["X-ControlPanel-Environment"]);
        Assert.False(seen.Headers.ContainsKey("APPLICATIONKEY"));
        Assert.False(seen.Headers.ContainsKey("CONSUMERKEY"));
        Assert.False(seen.Headers.ContainsKey("X-ControlPanel-Session"));
        // YARP's X-Forwarded-* for the upstream.
        Assert.Equal("127.0.0.1", seen.Headers["X-Forwarded-For"]);
        Assert.Equal("http", seen.Headers["X-Forwarded-Proto"]);

        // Basic credentials and a session's Bearer token are credentials too: stripped.
        var basicPath = "/orders/basic-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Check(KeyStyle.Basic, application.ApplicationKey, application.ConsumerKey, basicPath))).StatusCode);
        Assert.False(Assert.Single(SeenAt(app.Upstream, basicPath)).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task A_route_may_keep_the_credentials_and_a_route_with_the_check_off_passes_without_keys()
    {
        var application = await Factory.CreateApplicationAsync();
        var kept = "/keep/" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Call(application, kept))).StatusCode);
        Assert.Equal(application.ApplicationKey, Assert.Single(SeenAt(app.Upstream, kept)).Headers["APPLICATIONKEY"]);

        var open = "/public/" + Guid.NewGuid().ToString("N");
        var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, open).Header("X-ControlPanel-Application", "forged"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-RateLimit-Limit"));
        Assert.False(Assert.Single(SeenAt(app.Upstream, open)).Headers.ContainsKey("X-ControlPanel-Application"));
    }

    [Fact]
    public async Task The_proxied_calls_own_method_and_path_pick_its_resource()
    {
        await Factory.UseAsync<ResourceService>(resources => resources.CreateAsync(ControlPanelFactory.Admin,
            new ResourceService.Form { Method = "GET", Path = "/gw/chats/{id}", SessionRequired = true }));
        await Factory.UseAsync<ResourceService>(resources => resources.CreateAsync(ControlPanelFactory.Admin,
            new ResourceService.Form { Method = "POST", Path = "/gw/messages", LiveApplicationOnly = 2 }));
        var application = await Factory.CreateApplicationAsync(ApplicationEnvironment.Live);

        // The padlock: no session token, no call.
        await (await Client.SendAsync(Call(application, "/gw/chats/7"))).AssertErrorAsync(HttpStatusCode.Unauthorized, 194);
        Assert.Empty(SeenAt(app.Upstream, "/gw/chats/7"));

        // The resource's own window of 2, and the application's other calls keep theirs.
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Call(application, "/gw/messages", HttpMethod.Post))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Call(application, "/gw/messages", HttpMethod.Post))).StatusCode);
        await (await Client.SendAsync(Call(application, "/gw/messages", HttpMethod.Post))).AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        Assert.Equal(2, SeenAt(app.Upstream, "/gw/messages").Count);
        var other = await Client.SendAsync(Call(application, "/gw/other"));
        Assert.Equal((HttpStatusCode.OK, "100"), (other.StatusCode, other.HeaderValue("X-RateLimit-Limit")));
    }

    [Fact]
    public async Task Every_refusal_answers_the_seed_body_and_never_reaches_the_upstream()
    {
        var application = await Factory.CreateApplicationAsync();
        var marker = "/refused/" + Guid.NewGuid().ToString("N");

        await (await Client.SendAsync(Check(KeyStyle.Headers, null, null, marker))).AssertErrorAsync(HttpStatusCode.Unauthorized, 201);
        await (await Client.SendAsync(Check(KeyStyle.Headers, application.ApplicationKey, null, marker))).AssertErrorAsync(HttpStatusCode.Unauthorized, 202);
        await (await Client.SendAsync(Check(KeyStyle.Headers, application.ApplicationKey, new string('0', 32), marker))).AssertErrorAsync(HttpStatusCode.Forbidden, 204);
        await (await Client.SendAsync(Call(application, marker).Bearer("no-such-token"))).AssertErrorAsync(HttpStatusCode.Unauthorized, 114);

        await Factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "https://listed.example.com"));
        await (await Client.SendAsync(Call(application, marker).Header("Origin", "https://other.example.com"))).AssertErrorAsync(HttpStatusCode.Forbidden, 111);
        await Factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, ""));

        await Factory.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(ControlPanelFactory.Admin, application.Id, 1, null));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Call(application))).StatusCode);
        await (await Client.SendAsync(Call(application, marker))).AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        await Factory.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(ControlPanelFactory.Admin, application.Id, null, null));

        await Factory.UseAsync<AdminControls>(admin => admin.SetQuotaAsync(ControlPanelFactory.Admin, application.Id, 2, 0));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Call(application))).StatusCode);
        await (await Client.SendAsync(Call(application, marker))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);

        await Factory.UseAsync<AdminControls>(admin => admin.SetOnlineAsync(ControlPanelFactory.Admin, application.Id, false));
        await (await Client.SendAsync(Call(application, marker))).AssertErrorAsync(HttpStatusCode.Locked, 110);

        Assert.Empty(SeenAt(app.Upstream, marker));
    }

    [Fact]
    public async Task The_gateway_port_serves_proxied_routes_only_and_the_panel_port_never_proxies()
    {
        // The panel's own API is not answered on the gateway's port: a proxied route takes the path there.
        var onGateway = await Client.GetAsync("/api/v1/helper/error");
        await onGateway.AssertErrorAsync(HttpStatusCode.Unauthorized, 201);
        Assert.Equal(HttpStatusCode.OK, (await app.Panel.GetAsync("/api/v1/helper/error")).StatusCode);
        var onPanel = await app.Panel.GetAsync("/orders/on-the-panel-port");
        Assert.Equal(HttpStatusCode.NotFound, onPanel.StatusCode);
        Assert.Empty(SeenAt(app.Upstream, "/orders/on-the-panel-port"));
    }

    [Fact]
    public async Task An_upstream_that_is_down_answers_502_with_the_error_body_and_the_call_is_not_counted()
    {
        var application = await Factory.CreateApplicationAsync();
        await Factory.UseAsync<AdminControls>(admin => admin.SetQuotaAsync(ControlPanelFactory.Admin, application.Id, 1, 0));

        for (var i = 0; i < 3; i++)
        {
            var down = await Client.SendAsync(Call(application, "/down/orders"));
            await down.AssertErrorAsync(HttpStatusCode.BadGateway, 124);
            Assert.Contains("not counted", (await down.ReadErrorAsync()).ExtraInfo);
        }
        // The quota of one call is still whole, and usage shows the three calls under 124, uncounted.
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Call(application))).StatusCode);
        await (await Client.SendAsync(Call(application))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);
        await Factory.Services.GetRequiredService<UsageMeter>().FlushAsync(DateTime.UtcNow);
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync();
        var usage = await db.UsageMinutes.Where(u => u.ApplicationId == application.Id).ToListAsync();
        Assert.Equal(3, usage.Where(u => u is { Outcome: 124, Counted: false }).Sum(u => u.Calls));
        Assert.Equal(1, usage.Where(u => u is { Outcome: 0, Counted: true }).Sum(u => u.Calls));
    }

    [Fact]
    public async Task An_upstream_that_does_not_answer_in_time_answers_504_and_the_call_is_not_counted()
    {
        var application = await Factory.CreateApplicationAsync();
        await Factory.UseAsync<AdminControls>(admin => admin.SetQuotaAsync(ControlPanelFactory.Admin, application.Id, 1, 0));

        var slow = await Client.SendAsync(Call(application, "/slow"));
        await slow.AssertErrorAsync(HttpStatusCode.GatewayTimeout, 124);
        Assert.Contains("did not answer in time", (await slow.ReadErrorAsync()).ExtraInfo);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Call(application))).StatusCode);
    }

    [Fact]
    public async Task Active_health_checks_take_an_unhealthy_destination_out_of_the_rotation()
    {
        var application = await Factory.CreateApplicationAsync();
        app.Second.Healthy = false;
        try
        {
            Assert.True(app.ProxyState.TryGetCluster("pair", out var cluster));
            var two = cluster.Destinations["two"];
            await Eventually.TrueAsync(() => two.Health.Active == DestinationHealth.Unhealthy,
                "the active health check to mark destination two unhealthy", TimeSpan.FromSeconds(60));

            for (var i = 0; i < 6; i++)
            {
                var response = await Client.SendAsync(Call(application, "/pair/orders"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("one", response.HeaderValue("X-Upstream"));
            }
        }
        finally
        {
            app.Second.Healthy = true;
        }
    }

    [Fact]
    public async Task A_websocket_echo_passes_after_the_check_and_is_refused_without_keys()
    {
        var application = await Factory.CreateApplicationAsync();
        var uri = new Uri($"ws://127.0.0.1:{app.GatewayPort}/ws");

        using (var refused = new ClientWebSocket())
        {
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(uri, CancellationToken.None));
        }
        Assert.Empty(SeenAt(app.Upstream, "/ws"));

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("APPLICATIONKEY", application.ApplicationKey);
        socket.Options.SetRequestHeader("CONSUMERKEY", application.ConsumerKey);
        await socket.ConnectAsync(uri, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello through the gateway"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("hello through the gateway", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal(application.Id.ToString(), Assert.Single(SeenAt(app.Upstream, "/ws")).Headers["X-ControlPanel-Application"]);
    }

    [Fact]
    public async Task Server_sent_events_pass_after_the_check()
    {
        var application = await Factory.CreateApplicationAsync();
        var response = await Client.SendAsync(Call(application, "/sse"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("data: event 1\n\ndata: event 2\n\ndata: event 3\n\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_cors_preflight_is_answered_by_the_gateway_and_allowed_answers_carry_the_origin()
    {
        var application = await Factory.CreateApplicationAsync();
        await Factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "https://page.gateway.example.com"));
        var path = "/preflight/" + Guid.NewGuid().ToString("N");

        HttpRequestMessage Preflight(string origin) => new HttpRequestMessage(HttpMethod.Options, path)
            .Header("Origin", origin).Header("Access-Control-Request-Method", "POST").Header("Access-Control-Request-Headers", "applicationkey,consumerkey");
        var allowed = await Client.SendAsync(Preflight("https://page.gateway.example.com"));
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://page.gateway.example.com", allowed.HeaderValue("Access-Control-Allow-Origin"));
        var refused = await Client.SendAsync(Preflight("https://elsewhere.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(111, (await refused.ReadErrorAsync()).Error);
        Assert.Empty(SeenAt(app.Upstream, path));

        var call = await Client.SendAsync(Call(application, path, HttpMethod.Post).Header("Origin", "https://page.gateway.example.com"));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("https://page.gateway.example.com", call.HeaderValue("Access-Control-Allow-Origin"));
    }
}
