using System.Net;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Resources;
using ControlPanel.Web.Api;
using static ControlPanel.Api.Tests.Management.ManagementCalls;

namespace ControlPanel.Api.Tests.Management;

/// <summary>The resource catalogue over the management API: Admin tokens change it, every token reads it.</summary>
public sealed class ResourcesApiTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();
    private HttpClient client = default!;

    public Task InitializeAsync()
    {
        client = factory.CreateApiClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static readonly ResourceRequest Chat = new("GET", "/v1/chats/{id}", "Read one chat", SessionRequired: true,
        Limits: new Dictionary<string, ResourceLimits> { ["live"] = new(null, 600) });

    [Fact]
    public async Task An_admin_token_adds_changes_and_deletes_resources_and_the_check_follows()
    {
        var admin = (await factory.NewTokenAsync(await factory.NewStaffAsync(Roles.Admin))).Token;

        var created = await client.SendOkAsync(Manage(HttpMethod.Post, "/resources", admin, Chat), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(("GET", "/v1/chats/{id}", true, true), (created.GetProperty("method").GetString(), created.GetProperty("path").GetString(),
            created.GetProperty("sessionRequired").GetBoolean(), created.GetProperty("counted").GetBoolean()));
        Assert.Equal(600, created.GetProperty("limits").GetProperty("Live").GetProperty("perUser").GetInt32());
        Assert.True(await factory.UseAsync<ResourceCatalogue, bool>(c => Task.FromResult(c.Match("GET", "/v1/chats/1").SessionRequired)));

        var list = await client.SendOkAsync(Manage(HttpMethod.Get, "/resources", admin));
        Assert.Equal([id, Resource.DefaultId], list.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));

        var replaced = await client.SendOkAsync(Manage(HttpMethod.Put, $"/resources/{id}", admin, Chat with { SessionRequired = false, Counted = false }));
        Assert.False(replaced.GetProperty("counted").GetBoolean());

        await client.SendOkAsync(Manage(HttpMethod.Delete, $"/resources/{id}", admin), HttpStatusCode.NoContent);
        await (await client.SendAsync(Manage(HttpMethod.Get, $"/resources/{id}", admin))).AssertErrorAsync(HttpStatusCode.NotFound, 195);
        await (await client.SendAsync(Manage(HttpMethod.Delete, $"/resources/{Resource.DefaultId}", admin))).AssertErrorAsync(HttpStatusCode.BadRequest, 117);
    }

    [Fact]
    public async Task Invalid_resources_are_refused_with_the_rules_message()
    {
        var admin = (await factory.NewTokenAsync(await factory.NewStaffAsync(Roles.Admin))).Token;

        var bad = await client.SendAsync(Manage(HttpMethod.Post, "/resources", admin, Chat with { Path = "/v1/**/x" }));
        Assert.Contains("** (any number of segments) may only end", (await bad.ReadErrorAsync()).ExtraInfo);
        await (await client.SendAsync(Manage(HttpMethod.Post, "/resources", admin, Chat with { Limits = new Dictionary<string, ResourceLimits> { ["Prod"] = new(1, 1) } })))
            .AssertErrorAsync(HttpStatusCode.BadRequest, 117);
        await client.SendOkAsync(Manage(HttpMethod.Post, "/resources", admin, Chat), HttpStatusCode.Created);
        var duplicate = await client.SendAsync(Manage(HttpMethod.Post, "/resources", admin, Chat with { Path = "/v1/chats/*" }));
        Assert.Contains("could never be reached", (await duplicate.ReadErrorAsync()).ExtraInfo);
    }

    [Fact]
    public async Task Read_only_tokens_and_owners_read_the_catalogue_and_change_nothing()
    {
        var readOnly = (await factory.NewTokenAsync(await factory.NewStaffAsync(Roles.Admin), AccessTokenScope.ReadOnly)).Token;
        var owner = (await factory.NewTokenAsync(await factory.NewOwnerAsync("Acme"))).Token;

        Assert.Single((await client.SendOkAsync(Manage(HttpMethod.Get, "/resources", readOnly))).GetProperty("resources").EnumerateArray());
        Assert.Single((await client.SendOkAsync(Manage(HttpMethod.Get, "/resources", owner))).GetProperty("resources").EnumerateArray());
        await (await client.SendAsync(Manage(HttpMethod.Post, "/resources", readOnly, Chat))).AssertErrorAsync(HttpStatusCode.Forbidden, 170);
        await (await client.SendAsync(Manage(HttpMethod.Post, "/resources", owner, Chat))).AssertErrorAsync(HttpStatusCode.NotFound, 195);
    }
}
