using System.Security.Claims;
using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Components.Account;

/// <summary>
/// Ties each sign-in cookie to a recorded browser sign-in (<see cref="UserSignIn"/>): issuing a cookie records one (a
/// refresh keeps it), its id rides in the cookie as a claim, and a cookie whose sign-in has ended is refused, so signing
/// out ends that browser's sign-in on the server too, and open tabs compare their own sign-in when told of a change.
/// </summary>
internal static class SignInCookies
{
    // The sign-in's id in the cookie's properties, which Identity carries over when it refreshes a cookie (its claims it makes anew).
    private const string Item = "cp.sign_in";

    public static void Configure(CookieAuthenticationOptions cookie)
    {
        var checkStamp = cookie.Events.OnValidatePrincipal;
        cookie.Events.OnSigningIn = RecordAsync;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            await checkStamp(context);
            await CheckAsync(context);
        };
    }

    /// <summary>The stamp check renews the cookie with claims made anew on every request: the sign-in's id goes with them.</summary>
    public static void KeepOnRenewal(SecurityStampValidatorOptions options)
    {
        var previous = options.OnRefreshingPrincipal;
        options.OnRefreshingPrincipal = async context =>
        {
            if (previous is not null) await previous(context);
            if (context.CurrentPrincipal?.FindFirst(ViewerClaims.SignIn) is { } claim && context.NewPrincipal?.Identity is ClaimsIdentity identity
                && !identity.HasClaim(c => c.Type == ViewerClaims.SignIn))
                identity.AddClaim(new Claim(ViewerClaims.SignIn, claim.Value));
        };
    }

    private static async Task RecordAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity) return;
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        if (identity.FindFirst(claims.UserIdClaimType)?.Value is not { } userId) return;
        Guid? current = context.Properties.Items.TryGetValue(Item, out var value) && Guid.TryParse(value, out var id) ? id : null;
        var signIn = await services.GetRequiredService<SignIns>().RecordAsync(current, userId, identity.FindFirst(claims.SecurityStampClaimType)?.Value ?? "");
        context.Properties.Items[Item] = signIn.ToString();
        foreach (var old in identity.FindAll(ViewerClaims.SignIn).ToList()) identity.RemoveClaim(old);
        identity.AddClaim(new Claim(ViewerClaims.SignIn, signIn.ToString()));
    }

    private static async Task CheckAsync(CookieValidatePrincipalContext context)
    {
        // Refused by the stamp check already, or a cookie from before sign-ins were recorded (its stamp alone decides).
        if (context.Principal is not { } principal || ViewerClaims.SignInId(principal) is not { } signIn) return;
        var services = context.HttpContext.RequestServices;
        var userId = principal.FindFirstValue(services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.UserIdClaimType);
        if (userId is not null && await services.GetRequiredService<SignIns>().IsLiveAsync(signIn, userId)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
