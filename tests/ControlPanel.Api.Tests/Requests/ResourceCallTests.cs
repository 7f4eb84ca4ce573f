using System.Net;
using System.Net.Http.Json;
using ControlPanel.Domain.Resources;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Requests;

/// <summary>
/// Every door of the check takes the resource from the client's call: Traefik's X-Forwarded-Method/-Uri and nginx's
/// X-Original-Method/-URI from a trusted gateway, Envoy's own request under /api/v1/check/envoy, verify's method and path.
/// </summary>
public sealed class ResourceCallTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();
    private ControlPanelFactory.TestApplication application = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        application = await factory.CreateApplicationAsync();
        client = factory.CreateApiClient();
        await factory.UseAsync<ResourceService>(resources => resources.CreateAsync(ControlPanelFactory.Admin,
            new ResourceService.Form { Method = "GET", Path = "/v1/chats/{id}", SessionRequired = true }));
        await factory.UseAsync<ResourceService>(resources => resources.CreateAsync(ControlPanelFactory.Admin,
            new ResourceService.Form { Method = "POST", Path = "/v1/messages", LiveApplicationOnly = 2 }));
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Theory]
    [InlineData("X-Forwarded-Method", "X-Forwarded-Uri")]
    [InlineData("X-Original-Method", "X-Original-URI")]
    public async Task A_trusted_gateway_names_the_call_and_its_resource_rules_apply(string methodHeader, string uriHeader)
    {
        await (await client.SendAsync(Check(application).From(Gateway).Header(methodHeader, "GET").Header(uriHeader, "/v1/chats/7?full=1")))
            .AssertErrorAsync(HttpStatusCode.Unauthorized, 194);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application).From(Gateway).Header(methodHeader, "GET").Header(uriHeader, "/v1/other"))).StatusCode);

        // Anyone else's say is not believed: the call is the default resource's.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application).From(Stranger).Header(methodHeader, "GET").Header(uriHeader, "/v1/chats/7"))).StatusCode);
    }

    [Fact]
    public async Task The_limit_headers_and_the_158_describe_the_resources_own_window()
    {
        HttpRequestMessage Message() => Check(application).From(Gateway).Header("X-Original-Method", "POST").Header("X-Original-URI", "/v1/messages");

        var first = await client.SendAsync(Message());
        Assert.Equal(("2", "1"), (first.HeaderValue("X-RateLimit-Limit"), first.HeaderValue("X-RateLimit-Remaining")));
        await client.SendAsync(Message());
        var refused = await client.SendAsync(Message());
        var body = await refused.ReadErrorAsync();
        Assert.Equal((HttpStatusCode.TooManyRequests, 158), (refused.StatusCode, body.Error));
        Assert.Contains("limit of 2 requests", body.ExtraInfo);
        Assert.Equal("0", refused.HeaderValue("X-RateLimit-Remaining"));

        // The application's other calls have their own window.
        var other = await client.SendAsync(Check(application).From(Gateway));
        Assert.Equal((HttpStatusCode.OK, "100", "99"), (other.StatusCode, other.HeaderValue("X-RateLimit-Limit"), other.HeaderValue("X-RateLimit-Remaining")));
    }

    [Fact]
    public async Task Envoy_sends_the_call_itself_below_its_path_prefix()
    {
        await (await client.SendAsync(Check(application, path: "/api/v1/check/envoy/v1/chats/7?x=1"))).AssertErrorAsync(HttpStatusCode.Unauthorized, 194);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application, path: "/api/v1/check/envoy/v1/chats/7").WithMethod(HttpMethod.Post))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application, path: "/api/v1/check/envoy"))).StatusCode);
    }

    [Fact]
    public async Task Verify_takes_the_call_from_its_method_and_path_fields()
    {
        async Task<System.Text.Json.JsonElement> VerifyAsync(object body) =>
            await (await client.PostAsJsonAsync("/api/v1/verify", body)).ReadJsonAsync();

        var chat = await VerifyAsync(new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey, method = "GET", path = "/v1/chats/7" });
        Assert.Equal((false, 194, "GET /v1/chats/{id}"), (chat.GetProperty("valid").GetBoolean(), chat.GetProperty("code").GetInt32(), chat.GetProperty("resource").GetString()));

        var plain = await VerifyAsync(new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey });
        Assert.Equal((true, "any /**"), (plain.GetProperty("valid").GetBoolean(), plain.GetProperty("resource").GetString()));
    }
}
