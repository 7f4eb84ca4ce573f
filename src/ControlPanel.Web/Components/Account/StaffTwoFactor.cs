namespace ControlPanel.Web.Components.Account;

/// <summary>
/// AccountSecurity:RequireTwoFactorForStaff: a staff member signed in without two-factor is sent to set it up from every
/// page. Their sign-in carries <see cref="ViewerClaims.MustSetUpTwoFactor"/>, which also makes them nobody to every page and
/// endpoint (<see cref="ViewerClaims.ToViewer"/>), so a path this redirect lets through still shows them nothing.
/// </summary>
public static class StaffTwoFactor
{
    public const string SetUpPath = "/Account/Manage/TwoFactor";

    public static IApplicationBuilder UseStaffTwoFactorSetUp(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.HasClaim(c => c.Type == ViewerClaims.MustSetUpTwoFactor) && IsPage(context.Request.Path))
        {
            context.Response.Redirect(SetUpPath);
            return;
        }
        await next(context);
    });

    /// <summary>
    /// The app's pages, not the sign-in and account pages (where two-factor is set up and sign-out is), the framework's
    /// scripts and circuit, static files, health checks or the API (which refuses such a viewer by itself).
    /// </summary>
    private static bool IsPage(PathString path) =>
        !path.StartsWithSegments("/Account") && !path.StartsWithSegments("/api") && !path.StartsWithSegments("/health")
        && !(path.Value ?? "").StartsWith("/_", StringComparison.Ordinal) && !Path.HasExtension(path.Value);
}
