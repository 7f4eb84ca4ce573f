using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Requests;

/// <summary>The check takes the resource from the call's method and path: its session rule, its counting and its own windows.</summary>
public sealed class ResourceCheckTests : IAsyncLifetime
{
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();
    public Task DisposeAsync() { harness.Dispose(); return Task.CompletedTask; }

    private Task<Guid> AddAsync(string method, string path, bool session = false, bool counted = true, int? liveApplicationOnly = null, int? livePerUser = null) =>
        harness.Resources.CreateAsync(CheckHarness.Admin, new ResourceService.Form
        {
            Method = method,
            Path = path,
            SessionRequired = session,
            Counted = counted,
            LiveApplicationOnly = liveApplicationOnly,
            LivePerUser = livePerUser,
        });

    private static CheckRequest Call(ControlPanel.Domain.Keys.IssuedKeys keys, string method, string path) => CheckHarness.With(keys) with { Method = method, Path = path };

    [Fact]
    public async Task Two_resources_of_one_application_each_get_their_own_100_calls()
    {
        await AddAsync("GET", "/v1/chats/{id}");
        await AddAsync("POST", "/v1/messages");
        var (_, _, keys) = await harness.CreateApplicationAsync(ApplicationEnvironment.Live);

        for (var i = 0; i < 100; i++)
        {
            Assert.True((await harness.Check.CheckAsync(Call(keys, "GET", $"/v1/chats/{i}"))).Allowed);
            Assert.True((await harness.Check.CheckAsync(Call(keys, "POST", "/v1/messages"))).Allowed);
        }
        var chat = await harness.Check.CheckAsync(Call(keys, "GET", "/v1/chats/x"));
        var message = await harness.Check.CheckAsync(Call(keys, "POST", "/v1/messages"));
        Assert.Equal(158, chat.Error?.Code);
        Assert.Equal(158, message.Error?.Code);
        Assert.Equal("GET /v1/chats/{id}", chat.Resource.Title);
        Assert.Equal((100, 0), (chat.RateLimit.Limit, chat.RateLimit.Remaining));

        // The default resource (every other call, and calls that name none) still has its own window untouched.
        var other = await harness.Check.CheckAsync(CheckHarness.With(keys));
        Assert.True(other.Allowed);
        Assert.True(other.Resource.IsDefault);
        Assert.Equal(99, other.RateLimit.Remaining);
    }

    [Fact]
    public async Task A_resource_limit_applies_and_its_headers_describe_that_window()
    {
        await AddAsync("GET", "/v1/search", liveApplicationOnly: 3);
        var (_, _, keys) = await harness.CreateApplicationAsync(ApplicationEnvironment.Live);

        var answers = new List<Decision>();
        for (var i = 0; i < 4; i++) answers.Add(await harness.Check.CheckAsync(Call(keys, "GET", "/v1/search?q=" + i)));

        Assert.Equal([2, 1, 0, 0], answers.Select(a => a.RateLimit.Remaining));
        Assert.All(answers, a => Assert.Equal(3, a.RateLimit.Limit));
        Assert.Equal(158, answers[3].Error?.Code);
        Assert.Contains("limit of 3 requests", answers[3].ExtraInfo);
    }

    [Fact]
    public async Task A_padlocked_resource_answers_194_without_a_token_and_passes_with_one()
    {
        await AddAsync("GET", "/v1/chats/{id}", session: true, livePerUser: 5);
        var (_, _, keys) = await harness.CreateApplicationAsync();

        var withoutToken = await harness.Check.CheckAsync(Call(keys, "GET", "/v1/chats/1"));
        Assert.Equal(194, withoutToken.Error?.Code);
        Assert.True((await harness.Check.CheckAsync(Call(keys, "GET", "/v1/other"))).Allowed);

        var opened = (await harness.SessionService.OpenAsync(await harness.Check.CheckAsync(CheckHarness.With(keys) with { SessionManagement = true }))).Session!;
        var withToken = await harness.Check.CheckAsync(new CheckRequest { SessionToken = opened.Token, IsHttps = true, Method = "GET", Path = "/v1/chats/1" });
        Assert.True(withToken.Allowed);
        Assert.Equal(5, withToken.RateLimit.Limit); // the resource's per-user limit, in the session's window of that resource
        Assert.Equal(4, withToken.RateLimit.Remaining);
    }

    [Fact]
    public async Task An_uncounted_resource_leaves_the_quota_untouched()
    {
        await AddAsync("GET", "/v1/status", counted: false);
        var (_, _, keys) = await harness.CreateApplicationAsync();

        for (var i = 0; i < 5; i++) Assert.True((await harness.Check.CheckAsync(Call(keys, "GET", "/v1/status"))).Allowed);
        var status = await harness.Check.CheckAsync(Call(keys, "GET", "/v1/status"));
        Assert.Equal(0, status.Quota!.Value.Used);

        var counted = await harness.Check.CheckAsync(Call(keys, "GET", "/v1/chats"));
        Assert.Equal(1, counted.Quota!.Value.Used);
    }

    [Fact]
    public async Task The_gateway_headers_still_work_beside_the_catalogue()
    {
        var (_, _, keys) = await harness.CreateApplicationAsync();

        Assert.Equal(194, (await harness.Check.CheckAsync(Call(keys, "GET", "/v1/x") with { SessionRequired = true })).Error?.Code);
        var uncounted = await harness.Check.CheckAsync(Call(keys, "GET", "/v1/x") with { Counted = false });
        Assert.Equal(0, uncounted.Quota!.Value.Used);
    }

    [Fact]
    public async Task Opening_a_session_is_never_padlocked_nor_counted_whatever_the_default_resource_says()
    {
        var padlockedDefault = ResourceService.Form.From((await harness.Resources.FindAsync(CheckHarness.Admin, Resource.DefaultId))!);
        padlockedDefault.SessionRequired = true;
        await harness.Resources.UpdateAsync(CheckHarness.Admin, Resource.DefaultId, padlockedDefault);
        var (_, _, keys) = await harness.CreateApplicationAsync();

        Assert.Equal(194, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);
        var open = await harness.Check.CheckAsync(CheckHarness.With(keys) with { SessionManagement = true });
        Assert.True(open.Allowed);
        Assert.Equal(0, open.Quota!.Value.Used);
    }

    [Fact]
    public async Task A_catalogue_change_is_in_force_on_another_instance_once_it_reads_the_feed()
    {
        var (_, _, keys) = await harness.CreateApplicationAsync();
        using var other = TestDomain.Build(harness.Database, harness.Clock, services => services.UseOptions(harness.Options));
        var otherFeed = other.GetRequiredService<ChangeFeed>();
        var otherCheck = other.GetRequiredService<RequestCheck>();
        await otherFeed.StartAsync();
        Assert.True((await otherCheck.CheckAsync(Call(keys, "GET", "/v1/chats/1"))).Allowed);

        await AddAsync("GET", "/v1/chats/{id}", session: true);
        Assert.True((await otherCheck.CheckAsync(Call(keys, "GET", "/v1/chats/1"))).Allowed); // not read yet
        Assert.True(await otherFeed.CatchUpAsync() > 0);

        Assert.Equal(194, (await otherCheck.CheckAsync(Call(keys, "GET", "/v1/chats/1"))).Error?.Code);
    }
}
