using System.Security.Claims;
using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Components.Account;

/// <summary>The claims that turn a signed-in user into a <see cref="Viewer"/>.</summary>
public static class ViewerClaims
{
    public const string AccountId = "cp:account_id";
    public const string DisplayName = "cp:display_name";

    /// <summary>The viewer a principal stands for, or null when nobody is signed in.</summary>
    public static Viewer? ToViewer(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return null;
        // Admin outranks Support outranks Owner if a user ever holds several roles.
        var role = Roles.Staff.FirstOrDefault(user.IsInRole) ?? (user.IsInRole(Roles.Owner) ? Roles.Owner : null);
        if (role is null) return null;
        Guid? accountId = Guid.TryParse(user.FindFirstValue(AccountId), out var id) ? id : null;
        return new Viewer(userId, user.FindFirstValue(DisplayName) ?? user.Identity.Name ?? "", role, accountId);
    }
}

/// <summary>Adds the account and display name to the sign-in cookie, so no page looks them up again.</summary>
public sealed class ViewerClaimsFactory(UserManager<ControlPanelUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ControlPanelUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ControlPanelUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ViewerClaims.DisplayName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        if (user.AccountId is { } accountId) identity.AddClaim(new Claim(ViewerClaims.AccountId, accountId.ToString()));
        return identity;
    }
}
