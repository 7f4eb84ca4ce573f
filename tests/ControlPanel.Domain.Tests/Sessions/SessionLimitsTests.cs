using System.Net;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Tests.Requests;

namespace ControlPanel.Domain.Tests.Sessions;

/// <summary>Opening sessions is bounded per application per minute and per key pair at once; IPv6 clients are limited per /64.</summary>
public sealed class SessionLimitsTests
{
    private static async Task<CheckHarness> HarnessAsync(int perMinute = 300, int livePerKeyPair = 10_000) =>
        await CheckHarness.CreateAsync(new ApiOptions { RequireHttps = false, SessionsPerApplicationPerMinute = perMinute, MaxLiveSessionsPerKeyPair = livePerKeyPair });

    [Fact]
    public async Task An_application_opens_at_most_the_configured_sessions_a_minute_then_gets_158()
    {
        using var harness = await HarnessAsync(perMinute: 2, livePerKeyPair: 100);
        var (_, _, keys) = await harness.CreateApplicationAsync();
        var (_, _, otherKeys) = await harness.CreateApplicationAsync(name: "Other");
        // Different client addresses do not make fresh allowances: the limit is the application's.
        Task<SessionService.OpenResult> OpenFrom(string ip, ControlPanel.Domain.Keys.IssuedKeys k) =>
            OpenAsync(harness, harness.SessionService, CheckHarness.With(k) with { ClientIp = IPAddress.Parse(ip) });

        Assert.NotNull((await OpenFrom("203.0.113.1", keys)).Session);
        Assert.NotNull((await OpenFrom("203.0.113.2", keys)).Session);
        var refused = await OpenFrom("203.0.113.3", keys);

        Assert.Null(refused.Session);
        Assert.Equal(158, refused.Error?.Code);
        Assert.Equal(429, refused.Error!.RefusalStatus);
        Assert.Equal(2, refused.RateLimit?.Limit);
        Assert.Equal(0, refused.RateLimit?.Remaining);
        Assert.NotNull((await OpenFrom("203.0.113.3", otherKeys)).Session);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull((await OpenFrom("203.0.113.3", keys)).Session);
        await using var db = harness.Database.CreateContext();
        Assert.Equal(4, db.Sessions.Count());
    }

    [Fact]
    public async Task A_key_pair_holds_at_most_the_configured_live_sessions_counted_over_every_instance_then_gets_196()
    {
        using var harness = await HarnessAsync(livePerKeyPair: 2);
        var (_, _, keys) = await harness.CreateApplicationAsync();
        var other = OtherInstance(harness);

        var first = (await OpenAsync(harness, harness.SessionService, CheckHarness.With(keys))).Session!;
        Assert.NotNull((await OpenAsync(harness, other, CheckHarness.With(keys))).Session);
        harness.Clock.Advance(TimeSpan.FromMinutes(10));
        var refused = await OpenAsync(harness, harness.SessionService, CheckHarness.With(keys));

        Assert.Null(refused.Session);
        Assert.Equal(196, refused.Error?.Code);
        Assert.Equal(429, refused.Error!.RefusalStatus);
        Assert.Equal(first.ExpiresAt - harness.Clock.GetUtcNow().UtcDateTime, refused.RetryAfter);
        // When the oldest expires, its slot is free again.
        harness.Clock.Advance(refused.RetryAfter!.Value);
        Assert.NotNull((await OpenAsync(harness, other, CheckHarness.With(keys))).Session);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("::1", "::/64")]
    public void IPv6_clients_are_grouped_by_their_64_and_IPv4_stays_per_address(string address, string group) =>
        Assert.Equal(group, ClientAddressGroup.Of(IPAddress.Parse(address)));

    [Fact]
    public async Task The_application_only_limit_counts_a_whole_IPv6_64_as_one_client()
    {
        using var harness = await HarnessAsync();
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AdminControls.SetRateLimitsAsync(CheckHarness.Admin, applicationId, 3, null);
        Task<Decision> From(string ip) => harness.Check.CheckAsync(CheckHarness.With(keys) with { ClientIp = IPAddress.Parse(ip) }).AsTask();

        Assert.True((await From("2001:db8:1:2::1")).Allowed);
        Assert.True((await From("2001:db8:1:2::2")).Allowed);
        Assert.True((await From("2001:db8:1:2:ffff:ffff:ffff:ffff")).Allowed);
        Assert.Equal(158, (await From("2001:db8:1:2::4")).Error?.Code);
        Assert.True((await From("2001:db8:1:3::1")).Allowed);

        // IPv4-mapped IPv6 is the IPv4 client.
        Assert.True((await From("198.51.100.9")).Allowed);
        Assert.True((await From("::ffff:198.51.100.9")).Allowed);
        Assert.True((await From("198.51.100.9")).Allowed);
        Assert.Equal(158, (await From("::ffff:198.51.100.9")).Error?.Code);
        Assert.True((await From("198.51.100.10")).Allowed);
    }

    private static async Task<SessionService.OpenResult> OpenAsync(CheckHarness harness, SessionService service, CheckRequest request)
    {
        var decision = await harness.Check.CheckAsync(request);
        Assert.True(decision.Allowed, decision.Error?.Description);
        return await service.OpenAsync(decision);
    }

    /// <summary>Another instance's session service over the same database (SQLite: limits counted in this process, as the harness's).</summary>
    private static SessionService OtherInstance(CheckHarness harness)
    {
        var options = Microsoft.Extensions.Options.Options.Create(harness.Options);
        var store = new SessionStore(harness.Databases, harness.Clock, options);
        var changes = new ChangeFeed(harness.Databases, harness.Clock, [store]);
        return new SessionService(harness.Databases, store, changes, harness.Limiter, options, harness.Clock, harness.Applications);
    }
}
