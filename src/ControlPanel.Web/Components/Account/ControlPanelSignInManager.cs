using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Components.Account;

/// <summary>
/// Identity's sign-in manager, opened up for one call: issuing the cookie (or the second-factor cookie) for a password
/// sign-in the domain already accepted (<see cref="SignInRules"/>), the way Identity's own password sign-in issues it.
/// </summary>
public sealed class ControlPanelSignInManager(
    UserManager<ControlPanelUser> users, IHttpContextAccessor context, IUserClaimsPrincipalFactory<ControlPanelUser> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<ControlPanelUser>> logger, IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ControlPanelUser> confirmation)
    : SignInManager<ControlPanelUser>(users, context, claims, options, logger, schemes, confirmation)
{
    /// <param name="secondFactorNext">True when the user proves their second factor next: only Identity's two-factor cookie is issued.</param>
    public Task<SignInResult> SignInAcceptedPasswordAsync(ControlPanelUser user, bool isPersistent, bool secondFactorNext) =>
        SignInOrTwoFactorAsync(user, isPersistent, loginProvider: null, bypassTwoFactor: !secondFactorNext);
}
