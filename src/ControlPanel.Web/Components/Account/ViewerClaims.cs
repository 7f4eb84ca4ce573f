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

    /// <summary>The browser sign-in the cookie belongs to (<see cref="UserSignIn"/>), added when the cookie is issued (<see cref="SignInCookies"/>).</summary>
    public const string SignIn = "cp:sign_in";

    /// <summary>
    /// On a staff member who signed in without two-factor while AccountSecurity:RequireTwoFactorForStaff is on: they may
    /// set it up and nothing else (see <see cref="StaffTwoFactor"/>).
    /// </summary>
    public const string MustSetUpTwoFactor = "cp:must_set_up_2fa";

    /// <summary>
    /// The person a principal stands for, or null when nobody is signed in. Staff come with their role; a customer comes with
    /// no role, because their role is per account and not in the cookie: <see cref="CurrentViewer"/> and the API's
    /// <c>SignedInViewer</c> ask <see cref="AccountMembers.ActingAsync"/> for it, in the account the page or call names.
    /// Until then every service refuses them (fails closed).
    /// </summary>
    /// <param name="settingUpTwoFactor">
    /// True only on the two-factor page: a staff member who must still set it up is themselves there, and nobody elsewhere.
    /// </param>
    public static Viewer? ToViewer(ClaimsPrincipal user, bool settingUpTwoFactor = false)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        // Fails closed: until two-factor is on, such a staff member is nobody to every page and endpoint.
        if (!settingUpTwoFactor && user.HasClaim(c => c.Type == MustSetUpTwoFactor)) return null;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return null;
        // Admin outranks Support if a user ever holds both.
        var role = Roles.Staff.FirstOrDefault(user.IsInRole) ?? "";
        Guid? accountId = Guid.TryParse(user.FindFirstValue(AccountId), out var id) ? id : null;
        return new Viewer(userId, user.FindFirstValue(DisplayName) ?? user.Identity.Name ?? "", role, accountId) { SignInId = SignInId(user) };
    }

    /// <summary>The sign-in a principal's cookie belongs to; null for a cookie issued before sign-ins were recorded.</summary>
    public static Guid? SignInId(ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(SignIn), out var id) ? id : null;
}

/// <summary>Adds the account and display name to the sign-in cookie, so no page looks them up again.</summary>
public sealed class ViewerClaimsFactory(
    UserManager<ControlPanelUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, SignInRules rules)
    : UserClaimsPrincipalFactory<ControlPanelUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ControlPanelUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ViewerClaims.DisplayName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        if (user.AccountId is { } accountId) identity.AddClaim(new Claim(ViewerClaims.AccountId, accountId.ToString()));
        if (await rules.MustSetUpSecondFactorAsync(user, isStaff: Roles.Staff.Any(role => identity.HasClaim(identity.RoleClaimType, role))))
            identity.AddClaim(new Claim(ViewerClaims.MustSetUpTwoFactor, "true"));
        return identity;
    }
}
