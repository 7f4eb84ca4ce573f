using System.Net;
using ControlPanel.Domain.AccessTokens;
using static ControlPanel.Api.Tests.Management.ManagementCalls;

namespace ControlPanel.Api.Tests.Management;

public sealed class ManagementRateLimitTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new ControlPanelFactory().With("AccessTokens:RequestsPerMinute", "3");

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Each_token_is_limited_per_minute_with_158_and_rate_limit_headers()
    {
        // Inside one UTC minute window, whatever the real time is.
        factory.Clock.Set(new DateTimeOffset(2026, 12, 1, 12, 0, 5, TimeSpan.Zero));
        var owner = await factory.NewOwnerAsync("Acme");
        var token = (await factory.NewTokenAsync(owner)).Token;
        var other = (await factory.NewTokenAsync(owner, name: "other")).Token;
        var client = factory.CreateApiClient();
        for (var i = 0; i < 3; i++)
        {
            var allowed = await client.SendAsync(Manage(HttpMethod.Get, "/applications", token));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(("3", (2 - i).ToString()), (allowed.HeaderValue("X-RateLimit-Limit"), allowed.HeaderValue("X-RateLimit-Remaining")));
        }
        var refused = await client.SendAsync(Manage(HttpMethod.Get, "/applications", token));
        await refused.AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);
        Assert.Equal("0", refused.HeaderValue("X-RateLimit-Remaining"));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 12, 1, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(), refused.HeaderValue("X-RateLimit-Reset"));

        // Another token has its own window; the next minute starts afresh.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Manage(HttpMethod.Get, "/applications", other))).StatusCode);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Manage(HttpMethod.Get, "/applications", token))).StatusCode);
    }

    [Fact]
    public async Task A_call_refused_for_the_rate_limit_is_not_recorded_as_the_tokens_last_use()
    {
        factory.Clock.Set(new DateTimeOffset(2026, 12, 1, 12, 0, 5, TimeSpan.Zero));
        var owner = await factory.NewOwnerAsync("Acme");
        var token = (await factory.NewTokenAsync(owner)).Token;
        var client = factory.CreateApiClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Manage(HttpMethod.Get, "/applications", token))).StatusCode);
        var lastAccepted = factory.Clock.UtcNow;

        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", token))).AssertErrorAsync(HttpStatusCode.TooManyRequests, 158);

        var row = (await factory.UseAsync<AccessTokenService, IReadOnlyList<AccessTokenService.Row>>(t => t.ListAsync(owner))).Single();
        Assert.Equal(lastAccepted, row.LastUsedAt);
    }
}
