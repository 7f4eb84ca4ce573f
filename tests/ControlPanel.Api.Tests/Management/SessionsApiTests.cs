using System.Net;
using System.Text.Json;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Tests;
using ControlPanel.Web.Api;
using static ControlPanel.Api.Tests.ApiRequests;
using static ControlPanel.Api.Tests.Management.ManagementCalls;

namespace ControlPanel.Api.Tests.Management;

/// <summary>An application's sessions over the management API: listed with their activity, and ended by their owner.</summary>
public sealed class SessionsApiTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();
    private HttpClient client = default!;

    public Task InitializeAsync()
    {
        client = factory.CreateApiClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    /// <summary>Activity is written every second: the list is read until the session shows the calls made.</summary>
    private async Task<JsonElement> SessionOnceCountedAsync(string token, Guid applicationId, long calls)
    {
        JsonElement session = default;
        await Eventually.TrueAsync(async () =>
        {
            var page = await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{applicationId}/sessions", token));
            session = page.GetProperty("sessions").EnumerateArray().Single();
            return session.GetProperty("calls").GetInt64() == calls;
        }, () => $"the session listed with {calls} calls (last seen: {session})");
        return session;
    }

    [Fact]
    public async Task An_owner_lists_a_session_reads_its_activity_and_ends_it_and_its_token_then_answers_113()
    {
        var owner = (await factory.NewTokenAsync(await factory.NewOwnerAsync("Acme"))).Token;
        var created = await client.SendOkAsync(Manage(HttpMethod.Post, "/applications", owner, new ApplicationRequest("Storefront")), HttpStatusCode.Created);
        var applicationId = created.GetProperty("application").GetProperty("id").GetGuid();
        var keys = created.GetProperty("keys");
        var (applicationKey, consumerKey) = (keys.GetProperty("applicationKey").GetString()!, keys.GetProperty("consumerKey").GetString()!);

        var opened = await client.SendAsync(Check(KeyStyle.Headers, applicationKey, consumerKey, "/api/v1/session", HttpMethod.Post).From("203.0.113.7"));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var openedJson = await opened.ReadJsonAsync();
        var (sessionToken, sessionId) = (openedJson.GetProperty("token").GetString()!, openedJson.GetProperty("sessionId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(sessionToken))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(sessionToken))).StatusCode);

        var listed = await SessionOnceCountedAsync(owner, applicationId, 2);
        Assert.Equal((sessionId, "203.0.113.7", "Live", "default", 2L, 0L), (listed.GetProperty("id").GetGuid(), listed.GetProperty("openedFrom").GetString(),
            listed.GetProperty("state").GetString(), listed.GetProperty("view").GetString(), listed.GetProperty("calls").GetInt64(), listed.GetProperty("refusals").GetInt64()));
        Assert.Equal("…" + applicationKey[^4..], listed.GetProperty("keyPair").GetString());
        var details = await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{applicationId}/sessions/{sessionId}", owner));
        var activity = details.GetProperty("activity").EnumerateArray().Single();
        Assert.Equal(("any /**", 0, "Allowed", 2L), (activity.GetProperty("resource").GetString(), activity.GetProperty("outcome").GetInt32(),
            activity.GetProperty("outcomeName").GetString(), activity.GetProperty("calls").GetInt64()));

        // A read-only Admin token reads it and may not end it; another account's owner does not find it.
        var readOnly = (await factory.NewTokenAsync(await factory.NewStaffAsync(Roles.Admin), AccessTokenScope.ReadOnly)).Token;
        var seen = await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{applicationId}/sessions/{sessionId}", readOnly));
        Assert.Equal("default", seen.GetProperty("firstView").GetString());
        await (await client.SendAsync(Manage(HttpMethod.Post, $"/applications/{applicationId}/sessions/{sessionId}/end", readOnly))).AssertErrorAsync(HttpStatusCode.Forbidden, 170);
        var stranger = (await factory.NewTokenAsync(await factory.NewOwnerAsync("Other"))).Token;
        await (await client.SendAsync(Manage(HttpMethod.Get, $"/applications/{applicationId}/sessions", stranger))).AssertErrorAsync(HttpStatusCode.NotFound, 195);
        await (await client.SendAsync(Manage(HttpMethod.Post, $"/applications/{applicationId}/sessions/{sessionId}/end", stranger))).AssertErrorAsync(HttpStatusCode.NotFound, 195);

        var ended = await client.SendOkAsync(Manage(HttpMethod.Post, $"/applications/{applicationId}/sessions/{sessionId}/end", owner));
        Assert.Equal("Ended", ended.GetProperty("state").GetString());
        var refused = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(sessionToken));
        await refused.AssertErrorAsync(HttpStatusCode.Unauthorized, 113);
        Assert.Contains("ended", (await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(sessionToken))).ReadErrorAsync()).ExtraInfo);
        await (await client.SendAsync(Manage(HttpMethod.Post, $"/applications/{applicationId}/sessions/{sessionId}/end", owner))).AssertErrorAsync(HttpStatusCode.BadRequest, 117);

        // Filters: the ended session, and none live.
        Assert.Single((await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{applicationId}/sessions?state=ended&address=203.0.113.", owner))).GetProperty("sessions").EnumerateArray());
        Assert.Equal(0, (await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{applicationId}/sessions?state=live", owner))).GetProperty("total").GetInt32());
        await (await client.SendAsync(Manage(HttpMethod.Get, $"/applications/{applicationId}/sessions?state=gone", owner))).AssertErrorAsync(HttpStatusCode.BadRequest, 117);
    }
}
