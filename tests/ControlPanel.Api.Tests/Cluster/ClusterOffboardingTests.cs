using System.Net;
using ControlPanel.Api.Tests.Management;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using static ControlPanel.Api.Tests.Management.ManagementCalls;

namespace ControlPanel.Api.Tests.Cluster;

/// <summary>
/// Offboarding over several instances (issue 23): an Admin disables a staff member through one instance's management API,
/// and that staff member's access token is refused by every instance at once, and their browser sign-ins end.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterOffboardingTests(ClusterCollection.ThreeInstances cluster)
{
    private async Task<Viewer> StaffAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@cluster.test";
        var user = new ControlPanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"{role} person" };
        await cluster.UseAsync<UserManager<ControlPanelUser>>(async users =>
        {
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            // Staff tokens work only while their holder uses two-factor sign-in.
            Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        });
        return new Viewer(user.Id, user.DisplayName, role, null);
    }

    private Task<IssuedAccessToken> TokenAsync(Viewer viewer) =>
        cluster.UseAsync<AccessTokenService, IssuedAccessToken>(tokens => tokens.CreateAsync(viewer, new AccessTokenService.Form { Name = "deploy", Scope = AccessTokenScope.ReadWrite }));

    [Fact]
    public async Task An_admin_disables_a_staff_member_on_one_instance_and_every_instance_refuses_their_token()
    {
        var admin = await StaffAsync(Roles.Admin);
        // Only Admins (and owners) hold access tokens: the leaver is a second Admin.
        var leaver = await StaffAsync(Roles.Admin);
        var adminToken = await TokenAsync(admin);
        var leaverToken = await TokenAsync(leaver);
        // A browser sign-in of the leaver's, as an instance records it when it issues the cookie.
        var signIn = await cluster.UseAsync<UserManager<ControlPanelUser>, ControlPanelUser?>(users => users.FindByIdAsync(leaver.UserId));
        var signInId = await cluster.UseAsync<SignIns, Guid>(signIns => signIns.RecordAsync(null, leaver.UserId, signIn!.SecurityStamp!));
        foreach (var client in cluster.Clients)
            await client.SendOkAsync(Manage(HttpMethod.Get, "/access-tokens", leaverToken.Token));

        await cluster.Clients[0].SendOkAsync(Manage(HttpMethod.Post, $"/staff/{leaver.UserId}/disable", adminToken.Token));

        // Tokens are read from the shared database on every call: refused at once everywhere, with nothing to wait for.
        foreach (var client in cluster.Clients)
            await (await client.SendAsync(Manage(HttpMethod.Get, "/access-tokens", leaverToken.Token))).AssertBodyAsync(HttpStatusCode.Unauthorized, 114);
        // And the sign-in no longer stands: its cookie and open tabs are refused on every instance.
        var user = await cluster.UseAsync<UserManager<ControlPanelUser>, ControlPanelUser?>(users => users.FindByIdAsync(leaver.UserId));
        Assert.False(await cluster.UseAsync<SignIns, bool>(signIns => signIns.IsCurrentAsync(signInId, user!)));
        Assert.True(await cluster.UseAsync<UserManager<ControlPanelUser>, bool>(users => users.IsLockedOutAsync(user!)));
        // The admin's own token still works on every instance.
        foreach (var client in cluster.Clients)
            await client.SendOkAsync(Manage(HttpMethod.Get, "/access-tokens", adminToken.Token));
    }
}
