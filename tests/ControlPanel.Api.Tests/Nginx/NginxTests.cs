using System.Net;
using System.Text.Json;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Resources;
using ControlPanel.Tests;

namespace ControlPanel.Api.Tests.Nginx;

/// <summary>The real app on a loopback port behind a real nginx using auth_request, as docs/gateways.md configures it.</summary>
public sealed class NginxTests : IAsyncLifetime
{
    private ControlPanelFactory factory = null!;
    private NginxGateway gateway = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        if (NginxGateway.Executable is null) return;
        var port = NginxGateway.FreePort();
        // The test's nginx listens on plain HTTP; TLS termination is not what is under test.
        factory = new ControlPanelFactory().With("Api:RequireHttps", "false");
        factory.UseKestrel(port);
        factory.StartServer();
        gateway = await NginxGateway.StartAsync(ApiRequests.GatewaySecret, port);
        client = new HttpClient { BaseAddress = gateway.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        if (NginxGateway.Executable is null) return;
        client.Dispose();
        await gateway.DisposeAsync();
        await factory.DisposeAsync();
    }

    private static HttpRequestMessage Call(string? applicationKey, string? consumerKey, string path = "/orders/42")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (applicationKey is not null) request.Headers.Add("APPLICATIONKEY", applicationKey);
        if (consumerKey is not null) request.Headers.Add("CONSUMERKEY", consumerKey);
        return request;
    }

    [NginxFact]
    public async Task Allowed_calls_reach_the_upstream_with_rate_limit_headers()
    {
        var application = await factory.CreateApplicationAsync(ApplicationEnvironment.Live);
        var response = await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey));

        Assert.True(response.StatusCode == HttpStatusCode.OK, gateway.ErrorLog);
        Assert.Equal("upstream ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("100", response.HeaderValue("X-RateLimit-Limit"));
        Assert.Equal("99", response.HeaderValue("X-RateLimit-Remaining"));

        // PUT and DELETE are checked too (the subrequest keeps the client's method).
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey).WithMethod(HttpMethod.Delete))).StatusCode);
    }

    [NginxFact]
    public async Task Bad_keys_get_403_with_the_seed_body_rebuilt_by_nginx()
    {
        var application = await factory.CreateApplicationAsync();
        var response = await client.SendAsync(Call(application.ApplicationKey, ApiKey.New()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("""{"Error":204,"Description":"NOT AUTHORISED","extraInfo":""}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        var missing = await client.SendAsync(Call(application.ApplicationKey, null));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(202, JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("Error").GetInt32());
    }

    [NginxFact]
    public async Task Over_the_limit_nginx_answers_429_with_the_seed_body_and_headers()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(ControlPanelFactory.Admin, application.Id, 2, null));

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey))).StatusCode);
        var limited = await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(
            """{"Error":158,"Description":"RATE LIMIT EXCEEDED","extraInfo":"The one-minute API limit of 2 requests has been exceeded. Please wait 60 seconds before attempting again. You are currently being throttled."}""",
            await limited.Content.ReadAsStringAsync());
        Assert.Equal("2", limited.HeaderValue("X-RateLimit-Limit"));
        Assert.Equal("0", limited.HeaderValue("X-RateLimit-Remaining"));
        Assert.True(long.Parse(limited.HeaderValue("X-RateLimit-Reset")) > DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120);
    }

    [NginxFact]
    public async Task The_limit_follows_the_resource_nginx_names_in_X_Original_URI_and_X_Original_Method()
    {
        await factory.UseAsync<ResourceService>(resources => resources.CreateAsync(ControlPanelFactory.Admin,
            new ResourceService.Form { Method = "GET", Path = "/orders/{id}", LiveApplicationOnly = 2 }));
        await factory.UseAsync<ResourceService>(resources => resources.CreateAsync(ControlPanelFactory.Admin,
            new ResourceService.Form { Method = "POST", Path = "/orders/{id}", LiveApplicationOnly = 3 }));
        var application = await factory.CreateApplicationAsync(ApplicationEnvironment.Live);

        // GET /orders/{id}: its own window of 2, whatever the order id and query.
        var first = await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey, "/orders/1?expand=lines"));
        Assert.True(first.StatusCode == HttpStatusCode.OK, gateway.ErrorLog);
        Assert.Equal(("2", "1"), (first.HeaderValue("X-RateLimit-Limit"), first.HeaderValue("X-RateLimit-Remaining")));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey, "/orders/2"))).StatusCode);
        var limited = await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey, "/orders/3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("2", limited.HeaderValue("X-RateLimit-Limit"));

        // POST on the same path is another resource with its own window; any other path is the default resource's.
        var post = await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey, "/orders/3").WithMethod(HttpMethod.Post));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(("3", "2"), (post.HeaderValue("X-RateLimit-Limit"), post.HeaderValue("X-RateLimit-Remaining")));
        var other = await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey, "/invoices/3"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(("100", "99"), (other.HeaderValue("X-RateLimit-Limit"), other.HeaderValue("X-RateLimit-Remaining")));
    }

    [NginxFact]
    public async Task An_offline_application_gets_423_through_nginx()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetOnlineAsync(ControlPanelFactory.Admin, application.Id, false));
        var response = await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey));
        Assert.Equal(HttpStatusCode.Locked, response.StatusCode);
        Assert.Equal(110, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("Error").GetInt32());
    }

    [NginxFact]
    public async Task A_browsers_preflight_is_answered_through_nginx_and_the_real_call_carries_the_cors_headers()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<Domain.Origins.AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "https://shop.example.com"));
        HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/orders/42");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "applicationkey,consumerkey");
            return request;
        }

        var allowed = await client.SendAsync(Preflight("https://shop.example.com"));
        Assert.True(allowed.StatusCode == HttpStatusCode.NoContent, gateway.ErrorLog);
        Assert.Equal("https://shop.example.com", allowed.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Contains("CONSUMERKEY", allowed.HeaderValue("Access-Control-Allow-Headers"));
        Assert.Equal("600", allowed.HeaderValue("Access-Control-Max-Age"));
        // The check answered it, not the upstream (which answers "upstream ok" to anything).
        Assert.Empty(await allowed.Content.ReadAsStringAsync());

        var refused = await client.SendAsync(Preflight("https://evil.example.net"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        var call = Call(application.ApplicationKey, application.ConsumerKey);
        call.Headers.Add("Origin", "https://shop.example.com");
        var answer = await client.SendAsync(call);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("upstream ok", await answer.Content.ReadAsStringAsync());
        Assert.Equal("https://shop.example.com", answer.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Contains("Origin", answer.Headers.Vary);
        Assert.Contains("X-RateLimit-Remaining", answer.HeaderValue("Access-Control-Expose-Headers"));

        // A refusal is readable by the page too (here: keys that are not its application's).
        var wrong = Call(application.ApplicationKey, ApiKey.New());
        wrong.Headers.Add("Origin", "https://shop.example.com");
        var refusedCall = await client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, refusedCall.StatusCode);
        Assert.Equal("https://shop.example.com", refusedCall.HeaderValue("Access-Control-Allow-Origin"));
    }
}
