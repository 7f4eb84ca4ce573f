using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Api.Tests.Management;

/// <summary>People with access tokens over the app in process, and calls to the management API with them.</summary>
public static class ManagementCalls
{
    public const string Password = "Management-password-1";

    /// <summary>A customer who registered an account (organisation) and owns it.</summary>
    public static async Task<Viewer> NewOwnerAsync(this ControlPanelFactory factory, string accountName)
    {
        factory.CreateClient(); // starts the app, migrating the database
        var (result, owner) = await factory.UseAsync<Registration, (IdentityResult, ControlPanelUser?)>(registration => registration.RegisterOwnerAsync(new Registration.Form
        {
            AccountName = accountName,
            DisplayName = $"Owner of {accountName}",
            Email = $"owner-{Guid.NewGuid():N}@manage.test",
            Password = Password,
            ConfirmPassword = Password,
        }));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return new Viewer(owner!.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
    }

    /// <summary>A person the account's Owner invited with <paramref name="role"/>, who accepted as someone new.</summary>
    public static async Task<Viewer> NewMemberAsync(this ControlPanelFactory factory, Viewer owner, string role)
    {
        var issued = await factory.UseAsync<MemberInvitations, MemberInvitations.Issued>(invitations =>
            invitations.InviteAsync(owner, owner.AccountId!.Value, new MemberInvitations.Form { Email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@manage.test", Role = role }));
        var token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(issued.Link.Query)["token"].ToString();
        var (result, user) = await factory.UseAsync<MemberInvitations, (IdentityResult, ControlPanelUser?)>(invitations =>
            invitations.AcceptAsNewAsync(token, $"{role} person", Password));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return new Viewer(user!.Id, $"{role} person", role, owner.AccountId);
    }

    /// <summary>A staff member the bootstrap Admin invited, who accepted.</summary>
    public static async Task<Viewer> NewStaffAsync(this ControlPanelFactory factory, string role)
    {
        factory.CreateClient();
        var admin = await factory.UseAsync<UserManager<ControlPanelUser>, ControlPanelUser?>(users => users.FindByEmailAsync(ControlPanelFactory.AdminEmail));
        var inviter = new Viewer(admin!.Id, "Admin", Roles.Admin, null);
        var (result, invitation) = await factory.UseAsync<StaffInvitations, (IdentityResult, StaffInvitations.Invitation?)>(invitations =>
            invitations.InviteAsync(inviter, new StaffInvitations.Form { Email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@manage.test", DisplayName = $"{role} person", Role = role }));
        Assert.True(result.Succeeded);
        Assert.True((await factory.UseAsync<StaffInvitations, IdentityResult>(i => i.AcceptAsync(invitation!.UserId, invitation.Token, Password))).Succeeded);
        return new Viewer(invitation!.UserId, $"{role} person", role, null);
    }

    public static Task<IssuedAccessToken> NewTokenAsync(this ControlPanelFactory factory, Viewer viewer,
        AccessTokenScope scope = AccessTokenScope.ReadWrite, AccessTokenExpiry expiry = AccessTokenExpiry.NinetyDays, string name = "deploy") =>
        factory.UseAsync<AccessTokenService, IssuedAccessToken>(tokens => tokens.CreateAsync(viewer, new AccessTokenService.Form { Name = name, Scope = scope, Expiry = expiry }));

    public static HttpRequestMessage Manage(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, "/api/v1/manage" + path);
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: JsonSerializerOptions.Web);
        return request;
    }

    public static async Task<JsonElement> SendOkAsync(this HttpClient client, HttpRequestMessage request, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
