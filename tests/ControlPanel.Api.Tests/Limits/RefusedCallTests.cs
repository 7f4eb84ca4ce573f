using System.Net;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Usage;
using ControlPanel.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPanel.Api.Tests.ApiRequests;
using static ControlPanel.Api.Tests.Management.ManagementCalls;

namespace ControlPanel.Api.Tests.Limits;

/// <summary>
/// Calls refused before any application is known are limited per client address (Api:RefusedCallsPerAddressPerMinute),
/// their limit headers report that real window, and refusals of calls whose keys were valid belong to that application.
/// </summary>
public sealed class RefusedCallTests(ControlPanelFactory fixture) : IClassFixture<ControlPanelFactory>
{
    private const int RefusedPerMinute = 3;
    private readonly ControlPanelFactory factory = fixture.With("Api:RefusedCallsPerAddressPerMinute", RefusedPerMinute.ToString());
    private HttpClient Client => factory.CreateApiClient();

    private static HttpRequestMessage Unknown(string address) => Check(KeyStyle.Headers, new string('a', 32), new string('b', 32)).From(address);

    [Fact]
    public async Task Refused_calls_past_the_per_address_window_answer_158_for_every_call_from_that_address()
    {
        var application = await factory.CreateApplicationAsync();
        const string guesser = "198.51.100.21";
        for (var i = 1; i <= RefusedPerMinute; i++)
        {
            var refused = await Client.SendAsync(Unknown(guesser));
            await refused.AssertErrorAsync(HttpStatusCode.Forbidden, 204);
            // The headers report the address's window of refused calls, not an invented application window.
            Assert.Equal(RefusedPerMinute.ToString(), refused.HeaderValue("X-RateLimit-Limit"));
            Assert.Equal((RefusedPerMinute - i).ToString(), refused.HeaderValue("X-RateLimit-Remaining"));
        }

        var over = await Client.SendAsync(Unknown(guesser));
        await over.AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        Assert.Equal("0", over.HeaderValue("X-RateLimit-Remaining"));
        Assert.Contains("refused", (await over.ReadErrorAsync()).ExtraInfo);

        // Once over, even valid keys from that address are refused, so a hit cannot be told from a miss;
        // bad headers and unknown tokens are turned away the same way.
        await (await Client.SendAsync(Check(application).From(guesser))).AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        await (await Client.SendAsync(Check(KeyStyle.Headers, "zz", "zz").From(guesser))).AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);

        // Another address is not affected.
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Check(application).From("198.51.100.22"))).StatusCode);

        // The next minute starts a new window.
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Check(application).From(guesser))).StatusCode);
    }

    [Fact]
    public async Task Bad_access_tokens_count_against_the_address_like_refused_keys()
    {
        var owner = await factory.NewOwnerAsync("Guessed");
        var token = (await factory.NewTokenAsync(owner)).Token;
        const string guesser = "198.51.100.41";
        HttpRequestMessage Guess() => Manage(HttpMethod.Get, "/applications", "cpat_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))).From(guesser);
        for (var i = 1; i <= RefusedPerMinute; i++)
        {
            var refused = await Client.SendAsync(Guess());
            await refused.AssertErrorAsync(HttpStatusCode.Unauthorized, 114);
            Assert.Equal((RefusedPerMinute - i).ToString(), refused.HeaderValue("X-RateLimit-Remaining"));
        }

        await (await Client.SendAsync(Guess())).AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        // One window for every credential: a good token, and keys at the key check, are turned away from that address too.
        var good = await Client.SendAsync(Manage(HttpMethod.Get, "/applications", token).From(guesser));
        await good.AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        Assert.Contains("refused", (await good.ReadErrorAsync()).ExtraInfo);
        await (await Client.SendAsync(Unknown(guesser))).AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        // The token was not used (its call was refused); from another address it works.
        Assert.Null((await factory.UseAsync<AccessTokenService, IReadOnlyList<AccessTokenService.Row>>(t => t.ListAsync(owner))).Single().LastUsedAt);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Manage(HttpMethod.Get, "/applications", token).From("198.51.100.42"))).StatusCode);
    }

    [Fact]
    public async Task Bad_headers_and_unknown_tokens_count_as_refused_calls_and_ipv6_counts_per_64()
    {
        const string first = "2001:db8:14:5::1";
        var refusals = new Func<HttpRequestMessage>[]
        {
            () => Check(KeyStyle.Headers, "not-hex", "not-hex").From(first),
            () => Check(KeyStyle.Headers, null, null).From("2001:db8:14:5::2").Bearer("0000000A-0000-0000-0000-000000000000"),
            () => Check(KeyStyle.Headers, null, null).From("2001:db8:14:5:ffff:ffff:ffff:ffff"),
        };
        foreach (var refusal in refusals)
        {
            var response = await Client.SendAsync(refusal());
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(RefusedPerMinute.ToString(), response.HeaderValue("X-RateLimit-Limit"));
        }
        // Three refusals from one /64, whatever the addresses in it: the fourth is over.
        await (await Client.SendAsync(Unknown("2001:db8:14:5::abcd"))).AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        // The next /64 is another client.
        await (await Client.SendAsync(Unknown("2001:db8:14:6::1"))).AssertErrorAsync(HttpStatusCode.Forbidden, 204);
    }

    [Fact]
    public async Task Refusals_of_calls_with_valid_keys_count_in_the_applications_usage_and_not_against_the_address()
    {
        var application = await factory.CreateApplicationAsync();
        const string client = "198.51.100.31";
        // Plain HTTP with valid keys: 101, with advice, in the application's usage and limit headers.
        for (var i = 0; i < RefusedPerMinute + 1; i++)
        {
            var http = await factory.CreateClient().SendAsync(Check(application).From(client));
            await http.AssertErrorAsync(HttpStatusCode.UpgradeRequired, 101);
            Assert.Equal("100", http.HeaderValue("X-RateLimit-Limit"));
        }
        // An unknown token with valid keys: 114, the application's too.
        await (await Client.SendAsync(Check(application).From(client).Bearer("0000000A-0000-0000-0000-000000000000"))).AssertErrorAsync(HttpStatusCode.Unauthorized, 114);
        // None of those spent the address's refused calls.
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Check(application).From(client))).StatusCode);

        var databases = factory.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>();
        List<UsageMinute> rows = [];
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await databases.CreateDbContextAsync();
            rows = await db.UsageMinutes.Where(u => u.ApplicationId == application.Id).ToListAsync();
            return rows.Sum(r => r.Calls) == RefusedPerMinute + 3;
        }, "the refusals in the application's usage");
        Assert.Equal(RefusedPerMinute + 1, rows.Where(r => r.Outcome == 101).Sum(r => r.Calls));
        Assert.Equal(1, rows.Where(r => r.Outcome == 114).Sum(r => r.Calls));
        Assert.All(rows, r => Assert.Equal(application.Keys.KeyPairId, r.KeyPairId));
    }
}
