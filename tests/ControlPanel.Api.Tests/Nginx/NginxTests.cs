using System.Net;
using System.Text.Json;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;

namespace ControlPanel.Api.Tests.Nginx;

/// <summary>The real app on a loopback port behind a real nginx using auth_request, as the README configures it.</summary>
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
        gateway = await NginxGateway.StartAsync(port);
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
    public async Task An_offline_application_gets_423_through_nginx()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetOnlineAsync(ControlPanelFactory.Admin, application.Id, false));
        var response = await client.SendAsync(Call(application.ApplicationKey, application.ConsumerKey));
        Assert.Equal(HttpStatusCode.Locked, response.StatusCode);
        Assert.Equal(110, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("Error").GetInt32());
    }
}
