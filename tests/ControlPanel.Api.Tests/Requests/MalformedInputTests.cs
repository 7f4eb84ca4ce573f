using System.Net;
using System.Text;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Usage;
using ControlPanel.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Requests;

/// <summary>Whatever arrives in the credentials, the answer is a refusal with the seed's body, never a server error.</summary>
public sealed class MalformedInputTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    private readonly HttpClient client = factory.CreateApiClient();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static TheoryData<string, string[], int> Inputs() => new()
    {
        { "oversized application key", ["APPLICATIONKEY", new string('a', 20_000), "CONSUMERKEY", new string('b', 32)], 102 },
        { "non-hex keys", ["APPLICATIONKEY", new string('z', 32), "CONSUMERKEY", new string('y', 32)], 102 },
        { "key with spaces inside", ["APPLICATIONKEY", new string('a', 16) + " " + new string('a', 15), "CONSUMERKEY", new string('b', 32)], 102 },
        { "repeated application key", ["APPLICATIONKEY", new string('a', 32), "APPLICATIONKEY", new string('c', 32), "CONSUMERKEY", new string('b', 32)], 102 },
        { "repeated consumer key", ["APPLICATIONKEY", new string('a', 32), "CONSUMERKEY", new string('b', 32), "CONSUMERKEY", new string('b', 32)], 102 },
        { "repeated authorization", ["Authorization", "Basic " + Base64("a:b"), "Authorization", "Basic " + Base64("c:d")], 102 },
        { "broken base64", ["Authorization", "Basic !!!not-base64***"], 102 },
        { "truncated base64", ["Authorization", "Basic YWJj="], 102 },
        { "oversized basic", ["Authorization", "Basic " + Base64(new string('a', 5000) + ":" + new string('b', 5000))], 102 },
        { "unicode in basic", ["Authorization", "Basic " + Base64("ключ:ключ")], 102 },
        { "control characters in basic", ["Authorization", "Basic " + Base64("a\u0001b:c")], 102 },
        { "basic and key headers together", ["Authorization", "Basic " + Base64(new string('a', 32) + ":" + new string('b', 32)), "APPLICATIONKEY", new string('a', 32)], 102 },
        { "unknown scheme", ["Authorization", "Digest username=\"x\""], 102 },
        { "unicode keys", ["APPLICATIONKEY", "ａｂｃ" + new string('a', 29), "CONSUMERKEY", "🙂🙂" + new string('b', 28)], 102 },
        { "right-to-left override", ["APPLICATIONKEY", "\u202E" + new string('a', 31), "CONSUMERKEY", new string('b', 32)], 102 },
        { "empty basic", ["Authorization", "Basic "], 102 },
        { "basic with only a colon", ["Authorization", "Basic " + Base64(":")], 201 },
        { "empty headers", ["APPLICATIONKEY", "", "CONSUMERKEY", ""], 201 },
        { "oversized bearer", ["Authorization", "Bearer " + new string('A', 20_000)], 114 },
        { "unicode bearer", ["Authorization", "Bearer ＡＢＣＤ"], 114 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Malformed_credentials_are_refused_with_the_seed_body(string what, string[] headers, int code)
    {
        foreach (var path in new[] { "/api/v1/check", "/api/v1/check/nginx", "/api/v1/session" })
        {
            var request = new HttpRequestMessage(path.EndsWith("session") ? HttpMethod.Post : HttpMethod.Get, path);
            for (var i = 0; i < headers.Length; i += 2) request.Headers.TryAddWithoutValidation(headers[i], headers[i + 1]);
            var response = await client.SendAsync(request);

            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what} on {path}: {(int)response.StatusCode}");
            // Opening a session needs keys: a Bearer token there is ignored (a token must not renew itself).
            var expected = path.EndsWith("session") && headers.Any(h => h.StartsWith("Bearer ")) ? 201 : code;
            Assert.Equal(expected, (await response.ReadErrorAsync()).Error);
            AssertRateLimitHeaders(response);
        }
    }

    [Fact]
    public async Task Malformed_forwarding_headers_from_a_gateway_do_not_break_the_check()
    {
        var application = await factory.CreateApplicationAsync();
        foreach (var (name, value) in new[]
        {
            ("X-Forwarded-For", "not-an-ip"), ("X-Forwarded-For", ",,,"), ("X-Forwarded-For", "[::1"), ("X-Forwarded-For", new string('1', 10_000)),
            ("X-Real-IP", "999.999.999.999"), ("X-Forwarded-Proto", "ftp"), ("Origin", "null"), ("Origin", "https://exa mple.com"), ("X-ControlPanel-Counted", "perhaps"),
        })
        {
            var response = await client.SendAsync(Check(application).From(Gateway).Header(name, value));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Every_decision_is_metered_per_minute_without_writing_per_request()
    {
        var application = await factory.CreateApplicationAsync();
        for (var i = 0; i < 5; i++) await client.SendAsync(Check(application));
        await client.SendAsync(Check(application).From(Gateway).Uncounted());
        await client.SendAsync(Check(KeyStyle.Headers, application.ApplicationKey, new string('0', 32)));

        var databases = factory.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>();
        List<UsageMinute> rows = [];
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await databases.CreateDbContextAsync();
            rows = await db.UsageMinutes.Where(u => u.ApplicationId == application.Id).ToListAsync();
            return rows.Sum(r => r.Calls) == 7;
        }, "the seven calls flushed to the application's usage");
        // The wrong consumer key counts under the application whose application key matched (still answered 204).
        Assert.Equal(5, rows.Single(r => r.Counted && r.Outcome == 0).Calls);
        Assert.Equal(1, rows.Single(r => !r.Counted && r.Outcome == 0).Calls);
        Assert.Equal(1, rows.Single(r => r.Outcome == 204).Calls);
        Assert.All(rows, r => Assert.Equal(application.Keys.KeyPairId, r.KeyPairId));
        Assert.All(rows, r => Assert.Equal(0, r.Minute.Second));
        await using (var db = await databases.CreateDbContextAsync())
            Assert.NotNull((await db.KeyPairs.SingleAsync(p => p.Id == application.Keys.KeyPairId)).LastUsedAt);
    }
}
