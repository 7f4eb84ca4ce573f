using System.Net;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Origins;
using ControlPanel.Tests;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Requests;

/// <summary>The forward-auth check: every refusal the check makes, with header and Basic credentials.</summary>
/// <remarks>One app for the class; every test makes its own application, so their limits and quotas do not meet.</remarks>
public sealed class CheckTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    private readonly HttpClient client = factory.CreateApiClient();

    [Theory]
    [InlineData(KeyStyle.Headers)]
    [InlineData(KeyStyle.Basic)]
    public async Task Valid_keys_answer_200_with_the_application_and_rate_limit_headers(KeyStyle style)
    {
        var application = await factory.CreateApplicationAsync(ApplicationEnvironment.Live);
        var response = await client.SendAsync(Check(application, style));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(application.Id.ToString(), response.HeaderValue("X-ControlPanel-Application"));
        Assert.Equal("Live", response.HeaderValue("X-ControlPanel-Environment"));
        Assert.Equal("100", response.HeaderValue("X-RateLimit-Limit"));
        Assert.Equal("99", response.HeaderValue("X-RateLimit-Remaining"));
        var reset = long.Parse(response.HeaderValue("X-RateLimit-Reset"));
        var now = factory.Clock.GetUtcNow().ToUnixTimeSeconds();
        Assert.InRange(reset, now + 1, now + 60);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(KeyStyle.Headers)]
    [InlineData(KeyStyle.Basic)]
    public async Task Missing_keys_answer_201_and_202_with_401(KeyStyle style)
    {
        var application = await factory.CreateApplicationAsync();
        await (await client.SendAsync(Check(style, null, application.ConsumerKey))).AssertErrorAsync(HttpStatusCode.Unauthorized, 201);
        await (await client.SendAsync(Check(style, application.ApplicationKey, null))).AssertErrorAsync(HttpStatusCode.Unauthorized, 202);
        await (await client.SendAsync(Check(KeyStyle.Headers, null, null))).AssertErrorAsync(HttpStatusCode.Unauthorized, 201);
    }

    [Theory]
    [InlineData(KeyStyle.Headers)]
    [InlineData(KeyStyle.Basic)]
    public async Task Malformed_keys_answer_102_with_406(KeyStyle style)
    {
        var application = await factory.CreateApplicationAsync();
        await (await client.SendAsync(Check(style, "g" + application.ApplicationKey[1..], application.ConsumerKey))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 102);
        await (await client.SendAsync(Check(style, application.ApplicationKey, application.ConsumerKey[..31]))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 102);
        // Full-width digits are digits to Unicode, not to the key format.
        await (await client.SendAsync(Check(style, application.ApplicationKey, "０１２３" + application.ConsumerKey[4..]))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 102);
    }

    [Theory]
    [InlineData(KeyStyle.Headers)]
    [InlineData(KeyStyle.Basic)]
    public async Task Keys_matching_nothing_revoked_or_expired_answer_204_without_a_hint(KeyStyle style)
    {
        var application = await factory.CreateApplicationAsync();
        var other = await factory.CreateApplicationAsync();

        var wrongConsumer = await client.SendAsync(Check(style, application.ApplicationKey, other.ConsumerKey));
        var wrongApplication = await client.SendAsync(Check(style, ApiKey.New(), application.ConsumerKey));
        await wrongConsumer.AssertErrorAsync(HttpStatusCode.Forbidden, 204);
        await wrongApplication.AssertErrorAsync(HttpStatusCode.Forbidden, 204);
        Assert.Equal(await wrongConsumer.Content.ReadAsStringAsync(), await wrongApplication.Content.ReadAsStringAsync());

        await factory.UseAsync<KeyService>(keys => keys.RevokeAsync(ControlPanelFactory.Admin, application.Id, application.Keys.KeyPairId));
        await (await client.SendAsync(Check(application, style))).AssertErrorAsync(HttpStatusCode.Forbidden, 204);

        // Rolled over with one hour's grace: the old pair works until the hour is up.
        var rotated = await factory.UseAsync<KeyService, IssuedKeys>(keys => keys.RotateAsync(ControlPanelFactory.Admin, other.Id, RotationGrace.OneHour));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(other, style))).StatusCode);
        factory.Clock.Advance(TimeSpan.FromHours(1));
        await factory.UseAsync<ControlPanel.Domain.Data.ChangeFeed>(changes => changes.PublishAsync());
        await (await client.SendAsync(Check(other, style))).AssertErrorAsync(HttpStatusCode.Forbidden, 204);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(style, rotated.ApplicationKey, rotated.ConsumerKey))).StatusCode);
    }

    [Theory]
    [InlineData(KeyStyle.Headers)]
    [InlineData(KeyStyle.Basic)]
    public async Task Offline_applications_answer_110_and_locked_accounts_225(KeyStyle style)
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetOnlineAsync(ControlPanelFactory.Admin, application.Id, false));
        await (await client.SendAsync(Check(application, style))).AssertErrorAsync(HttpStatusCode.Locked, 110);

        await factory.UseAsync<AdminControls>(admin => admin.SetAccountLockedAsync(ControlPanelFactory.Admin, application.AccountId, true, "Unpaid invoices"));
        await (await client.SendAsync(Check(application, style))).AssertErrorAsync(HttpStatusCode.Forbidden, 225);
    }

    [Theory]
    [InlineData(KeyStyle.Headers)]
    [InlineData(KeyStyle.Basic)]
    public async Task Plain_http_answers_101_unless_a_trusted_proxy_says_https(KeyStyle style)
    {
        var application = await factory.CreateApplicationAsync();
        var http = factory.CreateClient();

        await (await http.SendAsync(Check(application, style))).AssertErrorAsync(HttpStatusCode.UpgradeRequired, 101);
        await (await http.SendAsync(Check(application, style).From(Stranger).Header("X-Forwarded-Proto", "https"))).AssertErrorAsync(HttpStatusCode.UpgradeRequired, 101);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Check(application, style).From(Gateway).Header("X-Forwarded-Proto", "https"))).StatusCode);
    }

    [Theory]
    [InlineData(KeyStyle.Headers)]
    [InlineData(KeyStyle.Basic)]
    public async Task The_origin_allowlist_is_enforced_with_addresses_from_trusted_proxies_only(KeyStyle style)
    {
        var application = await factory.CreateApplicationAsync();
        var saved = await factory.UseAsync<AllowlistService, AllowlistService.SaveResult>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id,
            "https://app.example.com\nhttps://*.shop.example.com\n203.0.113.7\n198.51.100.0/24\n2001:db8:1::/48"));
        Assert.True(saved.Saved);

        async Task<HttpStatusCode> Status(Func<HttpRequestMessage, HttpRequestMessage> shape) => (await client.SendAsync(shape(Check(application, style)))).StatusCode;

        Assert.Equal(HttpStatusCode.OK, await Status(r => r.From(Stranger).Header("Origin", "https://app.example.com")));
        Assert.Equal(HttpStatusCode.OK, await Status(r => r.From(Stranger).Header("Origin", "https://eu.shop.example.com")));
        Assert.Equal(HttpStatusCode.OK, await Status(r => r.From("203.0.113.7")));
        Assert.Equal(HttpStatusCode.OK, await Status(r => r.From(Gateway).Header("X-Forwarded-For", "198.51.100.200")));
        Assert.Equal(HttpStatusCode.OK, await Status(r => r.From(Gateway).Header("X-Forwarded-For", "192.0.2.1, 198.51.100.9")));
        Assert.Equal(HttpStatusCode.OK, await Status(r => r.From(Gateway).Header("X-Forwarded-For", "[2001:db8:1:ff::2]:4431")));
        Assert.Equal(HttpStatusCode.OK, await Status(r => r.From(Gateway).Header("X-Real-IP", "203.0.113.7")));

        var refused = await client.SendAsync(Check(application, style).From(Stranger).Header("Origin", "https://shop.example.com"));
        await refused.AssertErrorAsync(HttpStatusCode.Forbidden, 111);
        // A stranger's X-Forwarded-For is not believed.
        await (await client.SendAsync(Check(application, style).From(Stranger).Header("X-Forwarded-For", "203.0.113.7"))).AssertErrorAsync(HttpStatusCode.Forbidden, 111);
        // The client's own claim left of an untrusted hop is not believed either.
        await (await client.SendAsync(Check(application, style).From(Gateway).Header("X-Forwarded-For", "203.0.113.7, 192.0.2.99"))).AssertErrorAsync(HttpStatusCode.Forbidden, 111);
    }

    [Fact]
    public async Task The_subiz_forms_are_accepted_when_they_carry_the_whole_key_pair()
    {
        var application = await factory.CreateApplicationAsync();
        var (app, consumer) = (application.ApplicationKey, application.ConsumerKey);
        HttpRequestMessage ApiKey(string value) => Check(KeyStyle.Headers, null, null).From(Stranger).Header("api-key", value);
        HttpRequestMessage BasicUser(string user) => Check(KeyStyle.Headers, null, null).From(Stranger)
            .Header("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(user + ":")));

        // api-key: the pair as APPLICATIONKEY:CONSUMERKEY or the two keys written together.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiKey($"{app}:{consumer}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiKey(app + consumer))).StatusCode);
        // Basic with the key as the user name and no password (curl -u 'KEY:'): the two keys written together.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(BasicUser(app + consumer))).StatusCode);

        // Half a pair is never enough: the application key alone is missing its consumer key.
        await (await client.SendAsync(ApiKey(app))).AssertErrorAsync(HttpStatusCode.Unauthorized, 202);
        await (await client.SendAsync(BasicUser(app))).AssertErrorAsync(HttpStatusCode.Unauthorized, 202);
        // A wrong half is refused like wrong keys; other lengths are unreadable.
        await (await client.SendAsync(ApiKey(app + new string('0', 32)))).AssertErrorAsync(HttpStatusCode.Forbidden, 204);
        await (await client.SendAsync(ApiKey("c0c7cd5f-3321-4302-983f-097928a860f2"))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 102);
        await (await client.SendAsync(BasicUser("c0c7cd5f-3321-4302-983f-097928a860f2"))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 102);
        // The pair in api-key and again in the key headers or in Basic is ambiguous.
        await (await client.SendAsync(ApiKey(app + consumer).Header("APPLICATIONKEY", app))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 102);
        var twice = Check(application, KeyStyle.Basic).From(Stranger).Header("api-key", app + consumer);
        await (await client.SendAsync(twice)).AssertErrorAsync(HttpStatusCode.NotAcceptable, 102);
        // verify reads the same forms (one credential reader).
        var verified = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify").Header("api-key", $"{app}:{consumer}"));
        Assert.True((await verified.ReadJsonAsync()).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task With_both_kinds_listed_the_owner_chooses_whether_either_admits_or_both_must_match()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "https://app.example.com\n203.0.113.0/24"));
        async Task<HttpStatusCode> Status(string address, string? origin)
        {
            var request = Check(application).From(address);
            if (origin is not null) request.Header("Origin", origin);
            return (await client.SendAsync(request)).StatusCode;
        }

        // The default, as before: either kind admits, so a listed address may claim any origin (a server can write any).
        Assert.Equal(HttpStatusCode.OK, await Status("203.0.113.5", "https://evil.example.net"));
        Assert.Equal(HttpStatusCode.OK, await Status("203.0.113.5", null));
        Assert.Equal(HttpStatusCode.OK, await Status(Stranger, "https://app.example.com"));

        // Both must match: only the listed page on the listed network.
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "https://app.example.com\n203.0.113.0/24", requiresBoth: true));
        Assert.Equal(HttpStatusCode.OK, await Status("203.0.113.5", "https://app.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, await Status("203.0.113.5", "https://evil.example.net"));
        Assert.Equal(HttpStatusCode.Forbidden, await Status("203.0.113.5", null));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(Stranger, "https://app.example.com"));

        // With one kind listed that kind decides, whatever the choice.
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "203.0.113.0/24"));
        Assert.Equal(HttpStatusCode.OK, await Status("203.0.113.5", null));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(Stranger, "https://app.example.com"));
    }

    [Fact]
    public async Task The_rate_limit_answers_429_with_the_seed_body_and_headers()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(ControlPanelFactory.Admin, application.Id, 2, null));

        for (var i = 2; i > 0; i--)
        {
            var ok = await client.SendAsync(Check(application).From(Stranger));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal((i - 1).ToString(), ok.HeaderValue("X-RateLimit-Remaining"));
        }
        var limited = await client.SendAsync(Check(application).From(Stranger));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(
            """{"Error":158,"Description":"RATE LIMIT EXCEEDED","extraInfo":"The one-minute API limit of 2 requests has been exceeded. Please wait 60 seconds before attempting again. You are currently being throttled."}""",
            await limited.Content.ReadAsStringAsync());
        Assert.Equal("2", limited.HeaderValue("X-RateLimit-Limit"));
        Assert.Equal("0", limited.HeaderValue("X-RateLimit-Remaining"));

        // Per client IP: another address has its own window.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application).From("192.0.2.11"))).StatusCode);
    }

    [Fact]
    public async Task Exactly_the_limit_is_admitted_under_concurrency()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(ControlPanelFactory.Admin, application.Id, 100, null));

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Task.Run(() => client.SendAsync(Check(application).From(Stranger)))));

        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(200, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task The_monthly_quota_allows_the_overrun_then_answers_103_and_uncounted_calls_pass()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetQuotaAsync(ControlPanelFactory.Admin, application.Id, 2, 1));

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application))).StatusCode);
        var refused = await client.SendAsync(Check(application));
        await refused.AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);
        Assert.Contains("monthly quota of 2 calls", (await refused.ReadErrorAsync()).ExtraInfo);

        // Only the gateway may say a call is not counted.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application).From(Gateway).Uncounted())).StatusCode);
        await (await client.SendAsync(Check(application).From(Stranger).Uncounted())).AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);

        var notifications = await factory.UseAsync<ControlPanel.Domain.Quotas.QuotaService, IReadOnlyList<ControlPanel.Domain.Quotas.QuotaNotification>>(async quotas =>
        {
            // Written by the usage flusher within a second or so.
            IReadOnlyList<ControlPanel.Domain.Quotas.QuotaNotification> found = [];
            await Eventually.TrueAsync(async () =>
            {
                found = await quotas.ListNotificationsAsync(ControlPanelFactory.Admin, application.Id);
                return found.Count >= 4;
            }, () => $"four quota notifications (seen {found.Count})");
            return found;
        });
        Assert.Equal(4, notifications.Count); // 80%, 90%, 100% and the overrun
    }

    [Fact]
    public async Task Every_method_is_checked_because_gateways_keep_the_clients_method()
    {
        var application = await factory.CreateApplicationAsync();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Head, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options })
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(KeyStyle.Headers, application.ApplicationKey, application.ConsumerKey, method: method))).StatusCode);
        var head = await client.SendAsync(Check(KeyStyle.Headers, application.ApplicationKey, null, method: HttpMethod.Head));
        Assert.Equal(HttpStatusCode.Unauthorized, head.StatusCode);
        AssertRateLimitHeaders(head);
    }

    [Fact]
    public async Task The_nginx_variant_answers_only_401_or_403_and_carries_the_real_answer_in_headers()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(ControlPanelFactory.Admin, application.Id, 1, null));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application, path: "/api/v1/check/nginx"))).StatusCode);

        var limited = await client.SendAsync(Check(application, path: "/api/v1/check/nginx"));
        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal("429", limited.HeaderValue("X-ControlPanel-Status"));
        Assert.Equal("158", limited.HeaderValue("X-ControlPanel-Error"));
        Assert.Equal("RATE LIMIT EXCEEDED", limited.HeaderValue("X-ControlPanel-Description"));
        Assert.StartsWith("""{"Error":158,""", limited.HeaderValue("X-ControlPanel-Body"));
        Assert.Equal("0", limited.HeaderValue("X-RateLimit-Remaining"));

        var missing = await client.SendAsync(Check(KeyStyle.Headers, application.ApplicationKey, null, "/api/v1/check/nginx"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("202", missing.HeaderValue("X-ControlPanel-Error"));
    }
}
