using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Resources;

namespace ControlPanel.Domain.Tests.Resources;

public sealed class RouteTableTests
{
    private static Resource R(string method, string path, bool session = false, bool counted = true) =>
        new() { Id = Guid.NewGuid(), Method = method, Path = path, SessionRequired = session, Counted = counted };

    private static readonly Resource Chat = R("GET", "/v1/chats/{id}", session: true);
    private static readonly Resource ChatList = R("GET", "/v1/chats");
    private static readonly Resource AnyChatCall = R("*", "/v1/chats/**", counted: false);
    private static readonly Resource Messages = R("POST", "/v1/messages");
    private static readonly Resource ChatMessages = R("*", "/v1/*/messages");
    private static readonly Resource HeadChat = R("HEAD", "/v1/chats/{id}");

    private static readonly RouteTable Table = new([Chat, ChatList, AnyChatCall, Messages, ChatMessages]);

    [Theory]
    [InlineData("GET", "/v1/chats/42", "GET /v1/chats/{id}")]
    [InlineData("get", "/v1/chats/42?page=2#top", "GET /v1/chats/{id}")]
    [InlineData("GET", "/V1/Chats/42", "GET /v1/chats/{id}")]
    [InlineData("GET", "/v1/chats", "GET /v1/chats")]
    [InlineData("GET", "/v1/chats/", "GET /v1/chats")]
    [InlineData("DELETE", "/v1/chats/42", "any /v1/chats/**")]
    [InlineData("GET", "/v1/chats/42/archive", "any /v1/chats/**")]
    [InlineData("POST", "/v1/messages", "POST /v1/messages")]
    [InlineData("GET", "/v1/messages", "any /**")]
    [InlineData("PUT", "/v1/users/messages", "any /v1/*/messages")]
    [InlineData("BREW", "/v1/chats/42", "any /v1/chats/**")]
    [InlineData("GET", "/v2/anything", "any /**")]
    [InlineData(null, "/v1/chats/42", "any /v1/chats/**")]
    [InlineData("GET", null, "any /**")]
    [InlineData("GET", "", "any /**")]
    public void The_most_specific_resource_wins(string? method, string? path, string expected) =>
        Assert.Equal(expected, Table.Match(method, path).Title);

    [Theory]
    [InlineData("/v1/%63hats/42")]
    [InlineData("/v1//chats/42")]
    [InlineData("/v1/./chats/42")]
    [InlineData("/v1/other/../chats/42")]
    [InlineData("/v1/other/%2e%2e/chats/42")]
    [InlineData("https://api.example.com/v1/chats/42?x=1")]
    public void Paths_are_read_as_the_api_will_read_them_so_a_padlock_cannot_be_slipped(string path) =>
        Assert.Same(Table.Match("GET", "/v1/chats/42"), Table.Match("GET", path));

    [Fact]
    public void An_encoded_slash_stays_inside_its_segment()
    {
        Assert.Equal("any /v1/chats/**", Table.Match("GET", "/v1/chats/4%2F2/x").Title);
        Assert.Equal("GET /v1/chats/{id}", Table.Match("GET", "/v1/chats/4%2F2").Title);
    }

    [Fact]
    public void A_head_call_is_governed_by_get_resources_unless_a_head_resource_matches()
    {
        Assert.Equal("GET /v1/chats/{id}", Table.Match("HEAD", "/v1/chats/42").Title);
        var withHead = new RouteTable([Chat, HeadChat]);
        Assert.Equal("HEAD /v1/chats/{id}", withHead.Match("HEAD", "/v1/chats/42").Title);
        Assert.Equal("GET /v1/chats/{id}", withHead.Match("GET", "/v1/chats/42").Title);
    }

    [Fact]
    public void Without_resources_every_call_is_the_default_which_keeps_the_old_windows()
    {
        var rule = RouteTable.Empty.Match("GET", "/v1/chats/42");
        Assert.True(rule.IsDefault);
        Assert.True(rule.Counted);
        Assert.False(rule.SessionRequired);
        Assert.Equal("", rule.PartitionSuffix);
        Assert.Equal(RouteTable.Empty.Default, rule);
    }

    [Fact]
    public void A_saved_default_resource_replaces_the_built_in_one()
    {
        var saved = Resource.NewDefault();
        saved.SessionRequired = true;
        var table = new RouteTable([saved, Messages]);
        Assert.True(table.Match("GET", "/anything").SessionRequired);
        Assert.Equal(2, table.Rules.Count);
    }

    [Fact]
    public void Very_long_and_deep_paths_match_exactly()
    {
        var deep = "/v1/chats/" + string.Join('/', Enumerable.Range(0, 100));
        Assert.Equal("any /v1/chats/**", Table.Match("GET", deep).Title);
        var longSegment = "/v1/chats/" + new string('x', 5000);
        Assert.Equal("GET /v1/chats/{id}", Table.Match("GET", longSegment).Title);
        Assert.Equal("any /**", Table.Match("GET", "/" + string.Join('/', Enumerable.Range(0, 100))).Title);
    }

    [Fact]
    public void Stated_limits_apply_and_empty_ones_are_the_applications()
    {
        var limited = R("GET", "/v1/search");
        limited.LiveApplicationOnly = 10;
        limited.DevelopmentPerUser = 20;
        var rule = new RouteTable([limited]).Match("GET", "/v1/search");
        var live = State(ApplicationEnvironment.Live);
        var development = State(ApplicationEnvironment.Development);

        Assert.Equal(10, rule.LimitFor(live, perUser: false));
        Assert.Equal(live.PerUserRateLimit, rule.LimitFor(live, perUser: true));
        Assert.Equal(20, rule.LimitFor(development, perUser: true));
        Assert.Equal(development.ApplicationRateLimit, rule.LimitFor(development, perUser: false));
    }

    [Fact]
    public void Matching_allocates_nothing()
    {
        var table = new RouteTable([Chat, ChatList, AnyChatCall, Messages, ChatMessages, HeadChat,
            .. Enumerable.Range(0, 50).Select(i => R("GET", $"/v1/things{i}/{{id}}"))]);
        string[] paths = ["/v1/chats/42?x=1", "/v1/%63hats/42", "/v1/users/messages", "/v2/none", "/v1/chats/42/archive"];
        foreach (var path in paths) table.Match("GET", path);

        var bytes = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 1000; i++)
                foreach (var path in paths)
                    table.Match("GET", path);
        });

        Assert.Equal(0, bytes);
    }

    private static ApplicationState State(ApplicationEnvironment environment) => new()
    {
        Id = Guid.NewGuid(),
        AccountId = Guid.NewGuid(),
        Name = "App",
        Environment = environment,
        IsOnline = true,
        AccountLocked = false,
        DefaultView = "default",
        Views = System.Collections.Frozen.FrozenSet<string>.Empty,
        Origins = ControlPanel.Domain.Origins.OriginAllowlist.Empty,
        ApplicationRateLimit = ControlPanel.Domain.Limits.RateLimitTable.ApplicationOnly(environment),
        PerUserRateLimit = ControlPanel.Domain.Limits.RateLimitTable.PerUser(environment),
        MonthlyQuota = 1000,
        OverrunAllowance = 0,
    };
}
