using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ControlPanel.Web.Components.Account;

public static class IdentityHosting
{
    public static void AddControlPanelIdentity(this WebApplicationBuilder builder)
    {
        var security = builder.Configuration.GetSection(AccountSecurityOptions.Section).Get<AccountSecurityOptions>() ?? new AccountSecurityOptions();
        builder.Services.AddOptions<AccountSecurityOptions>().BindConfiguration(AccountSecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);

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
        });
        builder.Services.AddAuthorization();

        builder.Services.AddIdentityCore<ControlPanelUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = security.MinimumPasswordLength;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = security.MaxFailedAttempts;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.LockoutMinutes);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ControlPanelDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<ViewerClaimsFactory>();

        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        builder.Services.AddSingleton<AdminBootstrap>();
        builder.Services.AddScoped<Registration>();
        builder.Services.AddScoped<StaffInvitations>();
    }

    public static void MapIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/Logout", async (SignInManager<ControlPanelUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            var safe = IdentityRedirects.SafeReturnUrl(returnUrl);
            return TypedResults.LocalRedirect(safe == "" ? "~/Account/Login" : $"~/{safe}");
        });
    }
}
