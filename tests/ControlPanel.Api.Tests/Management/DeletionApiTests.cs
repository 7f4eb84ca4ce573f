using System.Net;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Webhooks;
using static ControlPanel.Api.Tests.ApiRequests;
using static ControlPanel.Api.Tests.Management.ManagementCalls;

namespace ControlPanel.Api.Tests.Management;

/// <summary>
/// The management API's deletes: an application, a view, a webhook endpoint, the token's whole account, and an Admin's restore;
/// each with the roles the panel has, and another account's ids answered as not found (195). (Support and the Viewer role hold
/// no tokens, so the domain tests cover them.)
/// </summary>
public sealed class DeletionApiTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();
    private HttpClient client = default!;

    public Task InitializeAsync()
    {
        client = factory.CreateApiClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_developer_deletes_an_application_whose_keys_are_then_refused_and_others_get_not_found()
    {
        var owner = await factory.NewOwnerAsync("Acme");
        var created = await factory.UseAsync<ApplicationService, ApplicationService.Created>(a => a.CreateAsync(owner, new ApplicationService.Form { Name = "Storefront" }));
        var application = new ControlPanelFactory.TestApplication(owner.AccountId!.Value, created.Application.Id, created.Keys);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application))).StatusCode);
        var outsiderToken = (await factory.NewTokenAsync(await factory.NewOwnerAsync("Globex"))).Token;
        var developerToken = (await factory.NewTokenAsync(await factory.NewMemberAsync(owner, Roles.Developer))).Token;
        var readOnlyToken = (await factory.NewTokenAsync(owner, ControlPanel.Domain.AccessTokens.AccessTokenScope.ReadOnly)).Token;

        await (await client.SendAsync(Manage(HttpMethod.Delete, $"/applications/{application.Id}", outsiderToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        Assert.False((await client.SendAsync(Manage(HttpMethod.Delete, $"/applications/{application.Id}", readOnlyToken))).IsSuccessStatusCode);
        await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{application.Id}", developerToken));

        await client.SendOkAsync(Manage(HttpMethod.Delete, $"/applications/{application.Id}", developerToken), HttpStatusCode.NoContent);

        await (await client.SendAsync(Check(application))).AssertBodyAsync(HttpStatusCode.Forbidden, 204);
        await (await client.SendAsync(Manage(HttpMethod.Get, $"/applications/{application.Id}", developerToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        await (await client.SendAsync(Manage(HttpMethod.Delete, $"/applications/{application.Id}", developerToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        Assert.Equal(0, (await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", developerToken))).GetArrayLength());
    }

    [Fact]
    public async Task A_view_is_removed_by_its_account_but_never_the_default_one()
    {
        var owner = await factory.NewOwnerAsync("Acme");
        var ownerToken = (await factory.NewTokenAsync(owner)).Token;
        var outsiderToken = (await factory.NewTokenAsync(await factory.NewOwnerAsync("Globex"))).Token;
        var created = await factory.UseAsync<ApplicationService, ApplicationService.Created>(a => a.CreateAsync(owner, new ApplicationService.Form { Name = "Storefront" }));
        var id = created.Application.Id;
        await factory.UseAsync<ApplicationViews>(v => v.AddAsync(owner, id, new ApplicationViews.Form { Name = "catalogue" }));

        await (await client.SendAsync(Manage(HttpMethod.Delete, $"/applications/{id}/views/catalogue", outsiderToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        await (await client.SendAsync(Manage(HttpMethod.Delete, $"/applications/{id}/views/default", ownerToken))).AssertBodyAsync(HttpStatusCode.BadRequest, 117);
        await client.SendOkAsync(Manage(HttpMethod.Delete, $"/applications/{id}/views/catalogue", ownerToken), HttpStatusCode.NoContent);

        var left = await factory.UseAsync<ApplicationViews, IReadOnlyList<ApplicationViews.Row>>(v => v.ListAsync(owner, id));
        Assert.Equal([Application.DefaultViewName], left.Select(v => v.Name));
    }

    [Fact]
    public async Task An_endpoint_is_deleted_by_its_account_and_not_found_for_another()
    {
        var owner = await factory.NewOwnerAsync("Acme");
        var ownerToken = (await factory.NewTokenAsync(owner)).Token;
        var outsiderToken = (await factory.NewTokenAsync(await factory.NewOwnerAsync("Globex"))).Token;
        var endpoint = await factory.UseAsync<WebhookEndpointService, IssuedSecret>(e =>
            e.CreateAsync(owner, new WebhookEndpointService.Form { Url = "https://203.0.114.7/hooks/acme", Events = [WebhookEvents.KeyRotated] }));

        await (await client.SendAsync(Manage(HttpMethod.Delete, $"/webhooks/endpoints/{endpoint.EndpointId}", outsiderToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        await client.SendOkAsync(Manage(HttpMethod.Delete, $"/webhooks/endpoints/{endpoint.EndpointId}", ownerToken), HttpStatusCode.NoContent);

        await (await client.SendAsync(Manage(HttpMethod.Get, $"/webhooks/endpoints/{endpoint.EndpointId}", ownerToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        Assert.Equal(0, (await client.SendOkAsync(Manage(HttpMethod.Get, "/webhooks/endpoints", ownerToken))).GetArrayLength());
    }

    [Fact]
    public async Task Only_the_owner_deletes_the_account_naming_it_and_only_an_admin_restores_it()
    {
        var owner = await factory.NewOwnerAsync("Acme");
        var ownerToken = (await factory.NewTokenAsync(owner)).Token;
        var developerToken = (await factory.NewTokenAsync(await factory.NewMemberAsync(owner, Roles.Developer))).Token;
        var admin = await factory.NewStaffAsync(Roles.Admin);
        var adminToken = (await factory.NewTokenAsync(admin)).Token;

        await (await client.SendAsync(Manage(HttpMethod.Delete, "/account?name=Acme", developerToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        await (await client.SendAsync(Manage(HttpMethod.Delete, "/account?name=Acme", adminToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Manage(HttpMethod.Delete, "/account?name=acme", ownerToken))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Manage(HttpMethod.Delete, "/account", ownerToken))).StatusCode);

        var deleted = await client.SendOkAsync(Manage(HttpMethod.Delete, "/account?name=Acme", ownerToken));
        Assert.Equal(owner.AccountId, deleted.GetProperty("accountId").GetGuid());
        Assert.True(deleted.GetProperty("erasesAt").GetDateTime() > DateTime.UtcNow.AddDays(29));
        // The account's tokens stop with it.
        Assert.False((await client.SendAsync(Manage(HttpMethod.Get, "/applications", developerToken))).IsSuccessStatusCode);

        var otherOwnerToken = (await factory.NewTokenAsync(await factory.NewOwnerAsync("Globex"))).Token;
        await (await client.SendAsync(Manage(HttpMethod.Post, $"/accounts/{owner.AccountId}/restore", otherOwnerToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        await client.SendOkAsync(Manage(HttpMethod.Post, $"/accounts/{owner.AccountId}/restore", adminToken), HttpStatusCode.NoContent);
        await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", developerToken));
        await (await client.SendAsync(Manage(HttpMethod.Post, $"/accounts/{Guid.NewGuid()}/restore", adminToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
    }
}
