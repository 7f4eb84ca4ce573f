using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Web.Components.Account;

/// <summary>
/// The sign-in cookie, for the account pages: issued, renewed and removed for what the domain decided (<see cref="SignInRules"/>
/// and the account services). Cookies are the host's concern; every decision about who may sign in is the domain's,
/// except the checks Identity makes of what only it can read: a passkey's answer and the codes of the second sign-in step.
/// </summary>
public sealed class CookieSignIn(ControlPanelSignInManager signIn, SignInRules rules)
{
    /// <summary>Signs in with a password when the domain accepts it, or hands over to the second factor; the outcome says which.</summary>
    public async Task<SignInRules.Outcome> PasswordAsync(string email, string password, bool remember)
    {
        var decision = await rules.CheckPasswordAsync(email, password, signIn.IsTwoFactorClientRememberedAsync);
        if (decision.User is { } user)
            await signIn.SignInAcceptedPasswordAsync(user, remember, secondFactorNext: decision.Outcome == SignInRules.Outcome.SecondFactorNext);
        return decision.Outcome;
    }

    /// <summary>A passkey alone signs in: it is both something the user has and (verified by the device) something they are or know.</summary>
    public async Task<SignInRules.Outcome> PasskeyAsync(string credentialJson) =>
        Outcome(await signIn.PasskeySignInAsync(credentialJson));

    /// <summary>True when a password was accepted in this browser and the second factor is awaited.</summary>
    public async Task<bool> SecondFactorAwaitedAsync() => await signIn.GetTwoFactorAuthenticationUserAsync() is not null;

    /// <summary>The second step with an authenticator code, which the domain's provider accepts once (<see cref="SingleUseAuthenticatorCodes"/>).</summary>
    public async Task<SignInRules.Outcome> AuthenticatorCodeAsync(string code, bool remember, bool rememberBrowser) =>
        Outcome(await signIn.TwoFactorAuthenticatorSignInAsync(code.Replace(" ", "").Replace("-", ""), remember, rememberBrowser));

    /// <summary>The second step with a recovery code; each works once.</summary>
    public async Task<SignInRules.Outcome> RecoveryCodeAsync(string code) =>
        Outcome(await signIn.TwoFactorRecoveryCodeSignInAsync(code.Replace(" ", "")));

    /// <summary>Signs in someone the domain has just made or admitted (the first Admin, an invited person).</summary>
    public async Task SignInAsync(string userId) => await signIn.SignInAsync(await rules.UserAsync(userId), isPersistent: false);

    /// <summary>
    /// A new cookie after the viewer's own change: a new security stamp would end this sign-in at the next check, and a
    /// staff member's second factor, set up or removed, changes what the cookie lets them do.
    /// </summary>
    public async Task RenewAsync(Viewer viewer) => await signIn.RefreshSignInAsync(await rules.UserAsync(viewer.UserId));

    public Task SignOutAsync() => signIn.SignOutAsync();

    /// <summary>The passkey the browser just made, once Identity has checked its answer against the challenge in this browser's cookie; null when it does not hold.</summary>
    public async Task<UserPasskeyInfo?> AttestPasskeyAsync(string credentialJson) =>
        string.IsNullOrEmpty(credentialJson) ? null : await signIn.PerformPasskeyAttestationAsync(credentialJson) is { Succeeded: true } attestation ? attestation.Passkey : null;

    private static SignInRules.Outcome Outcome(SignInResult result) =>
        result.Succeeded ? SignInRules.Outcome.SignedIn : result.IsLockedOut ? SignInRules.Outcome.LockedOut : SignInRules.Outcome.Refused;
}
