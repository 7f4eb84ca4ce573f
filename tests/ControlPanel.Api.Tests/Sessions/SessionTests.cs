using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Sessions;

public sealed class SessionTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    private readonly HttpClient client = factory.CreateApiClient();

    private async Task<(string Token, Guid SessionId, DateTime ExpiresAt)> OpenAsync(ControlPanelFactory.TestApplication application, KeyStyle style = KeyStyle.Headers)
    {
        var response = await client.SendAsync(Check(application, style, "/api/v1/session").WithMethod(HttpMethod.Post));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.ReadJsonAsync();
        return (json.GetProperty("token").GetString()!, json.GetProperty("sessionId").GetGuid(), json.GetProperty("expiresAt").GetDateTime());
    }

    [Theory]
    [InlineData(KeyStyle.Headers)]
    [InlineData(KeyStyle.Basic)]
    public async Task Valid_keys_open_a_session_whose_token_expires_two_hours_after_creation(KeyStyle style)
    {
        var application = await factory.CreateApplicationAsync();
        var response = await client.SendAsync(Check(application, style, "/api/v1/session").WithMethod(HttpMethod.Post));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        AssertRateLimitHeaders(response);
        var json = await response.ReadJsonAsync();
        var token = json.GetProperty("token").GetString()!;
        Assert.Matches(new Regex("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$"), token);
        Assert.Equal("Bearer", json.GetProperty("tokenType").GetString());
        Assert.Equal(7200, json.GetProperty("expiresIn").GetInt32());
        Assert.Equal("default", json.GetProperty("view").GetString());
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddHours(2), json.GetProperty("expiresAt").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));

        // Stored hashed, never in plaintext.
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync();
        var stored = await db.Sessions.SingleAsync(s => s.Id == json.GetProperty("sessionId").GetGuid());
        Assert.NotEqual(token, stored.TokenHash, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(64, stored.TokenHash.Length);
    }

    [Fact]
    public async Task Refused_keys_open_no_session()
    {
        var application = await factory.CreateApplicationAsync();
        await (await client.SendAsync(Check(KeyStyle.Headers, application.ApplicationKey, null, "/api/v1/session").WithMethod(HttpMethod.Post))).AssertErrorAsync(HttpStatusCode.Unauthorized, 202);
        await (await client.SendAsync(Check(KeyStyle.Basic, application.ApplicationKey, application.ApplicationKey, "/api/v1/session").WithMethod(HttpMethod.Post))).AssertErrorAsync(HttpStatusCode.Forbidden, 204);
    }

    [Fact]
    public async Task Bearer_checks_use_the_per_user_limit_of_the_session()
    {
        var application = await factory.CreateApplicationAsync(ApplicationEnvironment.Live);
        var (token, sessionId, _) = await OpenAsync(application);

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1200", response.HeaderValue("X-RateLimit-Limit"));
        Assert.Equal("1199", response.HeaderValue("X-RateLimit-Remaining"));
        Assert.Equal(sessionId.ToString(), response.HeaderValue("X-ControlPanel-Session"));
        Assert.Equal("default", response.HeaderValue("X-ControlPanel-View"));

        // Keys and token together must belong together.
        var other = await factory.CreateApplicationAsync();
        await (await client.SendAsync(Check(other).Bearer(token))).AssertErrorAsync(HttpStatusCode.Unauthorized, 114);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application).Bearer(token))).StatusCode);

        // Per session: the limit override applies per token, not per IP.
        await factory.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(ControlPanelFactory.Admin, application.Id, null, 2));
        var (second, _, _) = await OpenAsync(application);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(second))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(second))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(second))).StatusCode);
    }

    [Fact]
    public async Task Unknown_tampered_missing_and_expired_tokens_have_their_own_codes()
    {
        var application = await factory.CreateApplicationAsync();
        var (token, _, _) = await OpenAsync(application);
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];

        await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(tampered))).AssertErrorAsync(HttpStatusCode.Unauthorized, 114);
        await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer("not-a-token"))).AssertErrorAsync(HttpStatusCode.Unauthorized, 114);
        await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Header("Authorization", "Bearer"))).AssertErrorAsync(HttpStatusCode.Unauthorized, 194);
        await (await client.SendAsync(Check(application).Header("X-ControlPanel-Session-Required", "true"))).AssertErrorAsync(HttpStatusCode.Unauthorized, 194);

        factory.Clock.Advance(TimeSpan.FromHours(2));
        try
        {
            await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(token))).AssertErrorAsync(HttpStatusCode.Unauthorized, 113);
        }
        finally
        {
            factory.Clock.Advance(-TimeSpan.FromHours(2));
        }
    }

    [Fact]
    public async Task The_view_of_a_session_changes_to_a_listed_view_and_other_names_answer_309()
    {
        var application = await factory.CreateApplicationAsync();
        var (token, sessionId, _) = await OpenAsync(application);
        // A well-formed name the owner has not listed is refused like a malformed one.
        var unlisted = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/v1/session/view") { Content = JsonContent.Create(new { view = "support desk" }) }.Bearer(token));
        Assert.Equal(HttpStatusCode.BadRequest, unlisted.StatusCode);
        var refusal = await unlisted.ReadErrorAsync();
        Assert.Equal(309, refusal.Error);
        Assert.Contains("Views tab", refusal.ExtraInfo);
        await factory.Services.UseAsync<ApplicationViews>(views => views.AddAsync(ControlPanelFactory.Admin, application.Id, new() { Name = "support desk" }));

        var changed = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/v1/session/view") { Content = JsonContent.Create(new { view = "support desk" }) }.Bearer(token));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("support desk", (await changed.ReadJsonAsync()).GetProperty("view").GetString());
        var check = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(token));
        Assert.Equal("support desk", check.HeaderValue("X-ControlPanel-View"));

        foreach (var bad in new object[] { new { view = "<script>" }, new { view = "" }, new { view = new string('v', 101) }, new { other = 1 }, new { view = "Support Desk" } })
            await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/v1/session/view") { Content = JsonContent.Create(bad) }.Bearer(token)))
                .AssertErrorAsync(HttpStatusCode.BadRequest, 309);

        await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/v1/session/view") { Content = JsonContent.Create(new { view = "x" }) }))
            .AssertErrorAsync(HttpStatusCode.Unauthorized, 194);
        await (await client.SendAsync(Check(application, path: "/api/v1/session/view").WithMethod(HttpMethod.Put)))
            .AssertErrorAsync(HttpStatusCode.Unauthorized, 194);
    }

    [Fact]
    public async Task Sessions_survive_a_restart()
    {
        string token;
        var folder = factory.DataFolder;
        await using (var first = new ControlPanelFactory().With("Database:ConnectionString", $"Data Source={Path.Combine(folder, "restart.db")}"))
        {
            var application = await first.CreateApplicationAsync();
            var response = await first.CreateApiClient().SendAsync(Check(application, path: "/api/v1/session").WithMethod(HttpMethod.Post));
            token = (await response.ReadJsonAsync()).GetProperty("token").GetString()!;
        }
        await using var second = new ControlPanelFactory().With("Database:ConnectionString", $"Data Source={Path.Combine(folder, "restart.db")}");
        var check = await second.CreateApiClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(token));
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
    }

    [Fact]
    public async Task Opening_sessions_past_the_application_limit_answers_429_158_with_the_creation_window_and_past_the_live_cap_429_196_with_Retry_After()
    {
        await using (var limited = new ControlPanelFactory().With("Api:SessionsPerApplicationPerMinute", "2"))
        {
            var application = await limited.CreateApplicationAsync();
            var api = limited.CreateApiClient();
            for (var i = 0; i < 2; i++)
                Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(Check(application, path: "/api/v1/session").WithMethod(HttpMethod.Post))).StatusCode);
            var refused = await api.SendAsync(Check(application, path: "/api/v1/session").WithMethod(HttpMethod.Post));
            await refused.AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
            Assert.Equal("2", refused.HeaderValue("X-RateLimit-Limit"));
            Assert.Equal("0", refused.HeaderValue("X-RateLimit-Remaining"));
        }

        await using var capped = new ControlPanelFactory().With("Api:MaxLiveSessionsPerKeyPair", "1");
        var capApplication = await capped.CreateApplicationAsync();
        var client = capped.CreateApiClient();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Check(capApplication, path: "/api/v1/session").WithMethod(HttpMethod.Post))).StatusCode);
        var full = await client.SendAsync(Check(capApplication, path: "/api/v1/session").WithMethod(HttpMethod.Post));
        await full.AssertErrorAsync(HttpStatusCode.TooManyRequests, 196);
        var retryAfter = full.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(119), TimeSpan.FromHours(2));
    }
}
