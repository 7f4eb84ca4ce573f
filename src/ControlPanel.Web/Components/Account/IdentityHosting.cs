using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ControlPanel.Web.Components.Account;

public static class IdentityHosting
{
    public static void AddControlPanelIdentity(this WebApplicationBuilder builder)
    {
        // Every page load checks the security stamp, so a password reset (or change) signs the user out of other browsers at once.
        builder.Services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.Zero;
            SignInCookies.KeepOnRenewal(options);
        });

        builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        }).AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/Login";
            cookie.AccessDeniedPath = "/not-found";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // A sign-in from a network the user has not used before is mailed to them (a security notice).
            cookie.Events.OnSignedIn = RecordSignInAddressAsync;
            // Each browser's sign-in is recorded, so signing out ends it everywhere and a user's own change keeps it.
            SignInCookies.Configure(cookie);
        });
        builder.Services.AddAuthorization();

        // Identity's stores, managers and rules are the domain's (AddAccounts); the host adds signing in with cookies.
        new IdentityBuilder(typeof(ControlPanelUser), typeof(IdentityRole), builder.Services)
            .AddSignInManager<ControlPanelSignInManager>()
            .AddClaimsPrincipalFactory<ViewerClaimsFactory>();
        builder.Services.AddScoped<CookieSignIn>();

        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        builder.Services.AddSignInThrottle();
        builder.Services.AddPasskeyOptions();
    }

    private static async Task RecordSignInAddressAsync(CookieSignedInContext context)
    {
        var services = context.HttpContext.RequestServices;
        try
        {
            var user = await services.GetRequiredService<UserManager<ControlPanelUser>>().GetUserAsync(context.Principal!);
            if (user is null) return;
            await SignInAddresses.RecordAsync(services.GetRequiredService<ControlPanelDbContext>(), user,
                SignInThrottle.AddressKey(context.HttpContext.Connection.RemoteIpAddress), services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The sign-in itself has succeeded; a missed notice must not undo it.
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IdentityHosting)).LogWarning(e, "Could not record the sign-in address.");
        }
    }

    public static void MapIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/Logout", async (HttpContext http, SignInManager<ControlPanelUser> signIn, SignIns signIns, [FromForm] string? returnUrl) =>
        {
            // Ends this browser's sign-in on the server as well: its other open tabs sign out at once, on every instance.
            if (ViewerClaims.ToViewer(http.User, settingUpTwoFactor: true) is { } viewer) await signIns.EndAsync(viewer);
            await signIn.SignOutAsync();
            var safe = IdentityRedirects.SafeReturnUrl(returnUrl);
            return TypedResults.LocalRedirect(safe == "" ? "~/Account/Login" : safe);
        });
    }
}
