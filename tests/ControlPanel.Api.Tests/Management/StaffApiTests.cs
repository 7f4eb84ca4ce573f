using System.Net;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Web.Api;
using Microsoft.EntityFrameworkCore;
using static ControlPanel.Api.Tests.Management.ManagementCalls;

namespace ControlPanel.Api.Tests.Management;

/// <summary>Offboarding over the management API: an Admin's token lists, demotes, disables and removes staff and ends any user's tokens.</summary>
public sealed class StaffApiTests : IAsyncLifetime
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
    public async Task An_admin_disables_a_staff_member_whose_token_stops_working_at_once()
    {
        var admin = await factory.NewStaffAsync(Roles.Admin);
        var adminToken = (await factory.NewTokenAsync(admin)).Token;
        var leaver = await factory.NewStaffAsync(Roles.Admin);
        var leaverToken = (await factory.NewTokenAsync(leaver)).Token;
        await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", leaverToken));

        var listed = await client.SendOkAsync(Manage(HttpMethod.Get, "/staff", adminToken));
        var row = listed.EnumerateArray().Single(m => m.GetProperty("userId").GetString() == leaver.UserId);
        Assert.Equal(1, row.GetProperty("liveTokens").GetInt32());

        var disabled = await client.SendOkAsync(Manage(HttpMethod.Post, $"/staff/{leaver.UserId}/disable", adminToken));
        Assert.True(disabled.GetProperty("isDisabled").GetBoolean());
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", leaverToken))).AssertBodyAsync(HttpStatusCode.Unauthorized, 114);

        // Audited with the Admin's token.
        var audit = await factory.UseAsync<Microsoft.EntityFrameworkCore.IDbContextFactory<ControlPanel.Domain.Data.ControlPanelDbContext>, List<AuditEntry>>(async databases =>
        {
            await using var db = await databases.CreateDbContextAsync();
            return await db.AuditEntries.Where(e => e.Action == AuditActions.UserDisabled).ToListAsync();
        });
        Assert.Single(audit);
    }

    [Fact]
    public async Task Demoting_revokes_tokens_and_the_last_admin_rule_and_who_may_ask_are_enforced()
    {
        var admin = await factory.NewStaffAsync(Roles.Admin);
        var adminToken = (await factory.NewTokenAsync(admin)).Token;
        var other = await factory.NewStaffAsync(Roles.Admin);
        var otherToken = (await factory.NewTokenAsync(other)).Token;

        var demoted = await client.SendOkAsync(Manage(HttpMethod.Patch, $"/staff/{other.UserId}", adminToken, new StaffRoleRequest(Roles.Support)));
        Assert.Equal(Roles.Support, demoted.GetProperty("role").GetString());
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", otherToken))).AssertBodyAsync(HttpStatusCode.Unauthorized, 114);

        // Yourself: refused with the rule's sentence.
        var self = await client.SendAsync(Manage(HttpMethod.Post, $"/staff/{admin.UserId}/disable", adminToken));
        await self.AssertBodyAsync(HttpStatusCode.BadRequest, 117);

        // An owner's token, and an unknown id: the same "not found".
        var owner = await factory.NewOwnerAsync("Acme");
        var ownerToken = (await factory.NewTokenAsync(owner)).Token;
        await (await client.SendAsync(Manage(HttpMethod.Get, "/staff", ownerToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
        await (await client.SendAsync(Manage(HttpMethod.Post, $"/staff/{Guid.NewGuid()}/disable", adminToken))).AssertBodyAsync(HttpStatusCode.NotFound, 195);
    }

    [Fact]
    public async Task An_admin_sees_and_revokes_an_owners_tokens_and_the_owner_lists_and_revokes_their_own()
    {
        var admin = await factory.NewStaffAsync(Roles.Admin);
        var adminToken = (await factory.NewTokenAsync(admin)).Token;
        var owner = await factory.NewOwnerAsync("Acme");
        var first = await factory.NewTokenAsync(owner, name: "first");
        var second = await factory.NewTokenAsync(owner, name: "second");

        var own = await client.SendOkAsync(Manage(HttpMethod.Get, "/access-tokens", first.Token));
        Assert.Equal(2, own.GetArrayLength());
        Assert.DoesNotContain(first.Token, own.GetRawText());

        var theirs = await client.SendOkAsync(Manage(HttpMethod.Get, $"/users/{owner.UserId}/access-tokens", adminToken));
        Assert.Equal(2, theirs.GetArrayLength());
        await client.SendOkAsync(Manage(HttpMethod.Delete, $"/users/{owner.UserId}/access-tokens/{second.Id}", adminToken), HttpStatusCode.NoContent);
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", second.Token))).AssertBodyAsync(HttpStatusCode.Unauthorized, 114);

        // The owner revokes their own token, with itself.
        await client.SendOkAsync(Manage(HttpMethod.Delete, $"/access-tokens/{first.Id}", first.Token), HttpStatusCode.NoContent);
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", first.Token))).AssertBodyAsync(HttpStatusCode.Unauthorized, 114);
    }
}
