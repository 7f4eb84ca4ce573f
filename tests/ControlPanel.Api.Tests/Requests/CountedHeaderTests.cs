using System.Net;
using System.Net.Http.Json;
using ControlPanel.Domain.Applications;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Requests;

/// <summary>
/// Only a gateway may exempt a call from the monthly quota, and a trusted address is not proof enough:
/// Traefik's ForwardAuth forwards every client header unless told otherwise. The gateway must also send
/// the configured secret; without one configured, no call is ever exempt.
/// </summary>
public sealed class CountedHeaderTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await factory.DisposeAsync();

    /// <summary>An application whose quota is used up, so every counted call answers 103 and an uncounted one passes.</summary>
    private static async Task<ControlPanelFactory.TestApplication> ExhaustedAsync(ControlPanelFactory factory)
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AdminControls>(admin => admin.SetQuotaAsync(ControlPanelFactory.Admin, application.Id, 0, 0));
        return application;
    }

    [Fact]
    public async Task The_counted_header_from_a_trusted_proxy_is_believed_only_with_the_gateway_secret()
    {
        var application = await ExhaustedAsync(factory);
        var client = factory.CreateApiClient();

        // Without the secret (a client's own header forwarded by the gateway) the call is counted.
        await (await client.SendAsync(Check(application).From(Gateway).Header("X-ControlPanel-Counted", "false")))
            .AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);
        await (await client.SendAsync(Check(application).From(Gateway).Uncounted(secret: "wrong-" + GatewaySecret)))
            .AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);
        await (await client.SendAsync(Check(application).From(Gateway).Uncounted(secret: GatewaySecret[..^1])))
            .AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);
        // The secret from an untrusted address proves nothing either.
        await (await client.SendAsync(Check(application).From(Stranger).Uncounted())).AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);
        // Sent twice, it is ambiguous.
        await (await client.SendAsync(Check(application).From(Gateway).Uncounted().Header("X-ControlPanel-Gateway-Secret", GatewaySecret)))
            .AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);

        // With it, the call is not counted.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application).From(Gateway).Uncounted())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application, path: "/api/v1/check/nginx").From(Gateway).Uncounted())).StatusCode);
    }

    [Fact]
    public async Task Verify_counted_false_is_believed_only_with_the_gateway_secret()
    {
        var application = await ExhaustedAsync(factory);
        var client = factory.CreateApiClient();
        HttpRequestMessage Verify() => new(HttpMethod.Post, "/api/v1/verify")
        {
            Content = JsonContent.Create(new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey, counted = false }),
        };

        var without = await (await client.SendAsync(Verify().From(Gateway))).ReadJsonAsync();
        Assert.Equal(103, without.GetProperty("code").GetInt32());
        var with = await (await client.SendAsync(Verify().From(Gateway).Header("X-ControlPanel-Gateway-Secret", GatewaySecret))).ReadJsonAsync();
        Assert.True(with.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Without_a_configured_secret_no_call_is_exempt_from_the_quota()
    {
        await using var unconfigured = new ControlPanelFactory().With("Api:GatewaySecret", "");
        var application = await ExhaustedAsync(unconfigured);
        var client = unconfigured.CreateApiClient();

        await (await client.SendAsync(Check(application).From(Gateway).Uncounted())).AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);
        await (await client.SendAsync(Check(application).From(Gateway).Uncounted(secret: ""))).AssertErrorAsync(HttpStatusCode.NotAcceptable, 103);
    }
}
