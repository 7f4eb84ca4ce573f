using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Api.Tests.Hosting;

/// <summary>Security headers, Secure cookies, HSTS and the client's address behind a trusted proxy, as in Production.</summary>
public sealed class WebSecurityTests : IAsyncLifetime
{
    private const string ProbePath = "/test-probe/connection";
    private readonly ControlPanelFactory factory = new ControlPanelFactory().With("environment", "Production");
    private WebApplicationFactory<Program> probed = default!;

    public Task InitializeAsync()
    {
        // What a page sees of its request at the end of the app's pipeline: the address App.razor hands to the audit log.
        probed = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, ConnectionProbe>()));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await probed.DisposeAsync();
        await factory.DisposeAsync();
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/no-such-page")]
    [InlineData("/health")]
    [InlineData("/api/v1/check")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        var response = await Client().GetAsync(path);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        // The API serves no script, so its answers get a fixed policy that allows nothing; pages get a nonce each.
        var nonce = Regex.Match(policy, "'nonce-([A-Za-z0-9+/=]{24})'").Groups[1].Value;
        Assert.Equal(path.StartsWith("/api/", StringComparison.Ordinal) ? WebSecurity.ApiContentSecurityPolicy : WebSecurity.ContentSecurityPolicy(nonce), policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Each_page_gets_its_own_script_nonce_on_its_import_map()
    {
        var client = Client();
        var first = await client.GetAsync("/Account/Login");
        var second = await client.GetAsync("/Account/Login");
        var nonce = Regex.Match(Assert.Single(first.Headers.GetValues("Content-Security-Policy")), "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", await first.Content.ReadAsStringAsync());
        Assert.DoesNotContain($"'nonce-{nonce}'", Assert.Single(second.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Https_answers_carry_hsts()
    {
        var response = await Client(new Uri("https://controlpanel.example")).GetAsync("/Account/Login");
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task The_sign_in_cookie_is_secure_even_over_plain_http_behind_a_proxy()
    {
        var client = Client();
        var form = await client.GetStringAsync("/Account/Login");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = ControlPanelFactory.AdminEmail,
            ["Input.Password"] = ControlPanelFactory.AdminPassword,
        }));
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var signIn = Assert.Single(cookies, c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Contains("; secure", signIn, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", signIn, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_trusted_proxy_names_the_client_and_its_scheme()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ProbePath).From(ApiRequests.Gateway)
            .Header("X-Forwarded-For", "203.0.113.9").Header("X-Forwarded-Proto", "https");
        Assert.Equal("203.0.113.9 https", await (await Client().SendAsync(request)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_trusted_proxy_chain_is_walked_only_through_trusted_hops()
    {
        // The left-most entry was written by the client itself: only the hop the trusted gateway saw counts.
        var request = new HttpRequestMessage(HttpMethod.Get, ProbePath).From(ApiRequests.Gateway)
            .Header("X-Forwarded-For", "10.9.9.9, 198.51.100.4");
        Assert.Equal("198.51.100.4 http", await (await Client().SendAsync(request)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anyone_else_cannot_name_another_address_or_scheme()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ProbePath).From("198.51.100.77")
            .Header("X-Forwarded-For", "203.0.113.9").Header("X-Forwarded-Proto", "https");
        Assert.Equal("198.51.100.77 http", await (await Client().SendAsync(request)).Content.ReadAsStringAsync());
    }

    private HttpClient Client(Uri? baseAddress = null) =>
        probed.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = baseAddress ?? new Uri("http://localhost"), AllowAutoRedirect = false });

    /// <summary>Answers one path the app does not map, after all of the app's middleware has run.</summary>
    private sealed class ConnectionProbe : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path == ProbePath
                ? context.Response.WriteAsync($"{context.Connection.RemoteIpAddress} {context.Request.Scheme}")
                : Task.CompletedTask);
        };
    }
}
