using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Components.Account;

public static class IdentityHosting
{
    public static void AddControlPanelIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountSecurityOptions>().BindConfiguration(AccountSecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Identity's rules follow AccountSecurity, so the rule stated on the forms, the check at the field and Identity's own check agree.
        builder.Services.AddOptions<IdentityOptions>().Configure<IOptions<AccountSecurityOptions>>((options, security) =>
        {
            options.Password.RequiredLength = security.Value.MinimumPasswordLength;
            options.Lockout.MaxFailedAccessAttempts = security.Value.MaxFailedAttempts;
            options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.Value.LockoutMinutes);
        });
        // Only staff invitations use Identity's data-protection tokens here, so their lifespan is the invitation link's.
        builder.Services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<AccountSecurityOptions>>((options, security) =>
            options.TokenLifespan = TimeSpan.FromHours(security.Value.InvitationLinkHours));
        // Reset links have their own, shorter, lifespan and a per-address limit.
        builder.Services.AddOptions<PasswordResetOptions>().Configure<IOptions<AccountSecurityOptions>>((options, security) =>
        {
            options.TokenLifespan = TimeSpan.FromMinutes(security.Value.PasswordResetLinkMinutes);
            options.MailsPerAddressPerHour = security.Value.PasswordResetMailsPerAddressPerHour;
        });
        builder.Services.AddOptions<EmailConfirmationOptions>().Configure<IOptions<AccountSecurityOptions>, IOptions<EmailOptions>>((options, security, email) =>
            options.Required = security.Value.RequireConfirmedEmail ?? email.Value.IsSmtpConfigured);
        // Every page load checks the security stamp, so a password reset (or change) signs the user out of other browsers at once.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);

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
        });
        builder.Services.AddAuthorization();

        builder.Services.AddIdentityCore<ControlPanelUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Tokens.AuthenticatorTokenProvider = SingleUseAuthenticatorCodes.ProviderName;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ControlPanelDbContext>()
            .AddUserManager<ControlPanelUserManager>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticatorCodes>(SingleUseAuthenticatorCodes.ProviderName)
            .AddTokenProvider<PasswordResetTokenProvider>(PasswordResetOptions.ProviderName)
            .AddClaimsPrincipalFactory<ViewerClaimsFactory>();

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
        endpoints.MapPost("/Account/Logout", async (SignInManager<ControlPanelUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            var safe = IdentityRedirects.SafeReturnUrl(returnUrl);
            return TypedResults.LocalRedirect(safe == "" ? "~/Account/Login" : safe);
        });
    }
}
