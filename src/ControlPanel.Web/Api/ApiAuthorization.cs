using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Account;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Web.Api;

/// <summary>
/// Who may call the API's cookie-signed-in endpoints (the usage API), decided by the authorization middleware rather than
/// by each endpoint, and answered under /api in the error body rather than with a redirect to the sign-in page.
/// </summary>
public static class ApiAuthorization
{
    /// <summary>
    /// Signed in with the control panel's cookie as someone the domain knows (<see cref="ViewerClaims.ToViewer"/>): staff
    /// who must still set up two-factor are nobody here either.
    /// </summary>
    public const string SignedIn = "ControlPanel.SignedIn";

    public static void AddControlPanelApiAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(SignedIn, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAssertion(context => ViewerClaims.ToViewer(context.User) is not null));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
    }

    /// <summary>
    /// Under /api a refused authorization answers the error body: 401 (226) to a caller who is nobody to the domain (not
    /// signed in, or staff before two-factor), 403 (170) to anyone else. Elsewhere the framework's answer (the cookie's
    /// redirects) stands.
    /// </summary>
    private sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler framework = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Succeeded || !ApiStatusCodes.IsApi(context)) return framework.HandleAsync(next, context, policy, authorizeResult);
            return ViewerClaims.ToViewer(context.User) is null
                ? ApiRefusal.WriteAsync(context, ApiStatusCodes.NotSignedIn, "Sign in to the control panel first.")
                : ApiRefusal.WriteAsync(context, ApiStatusCodes.NoAccess);
        }
    }
}

/// <summary>
/// The signed-in <see cref="Viewer"/> as an endpoint parameter, for endpoints behind <see cref="ApiAuthorization.SignedIn"/>
/// (which has already refused anyone else): a member acts in the account the <c>account</c> query parameter names, as on
/// the page that links here, or in the first they joined.
/// </summary>
public sealed record SignedInViewer(Viewer Viewer)
{
    public static async ValueTask<SignedInViewer?> BindAsync(HttpContext context)
    {
        if (ViewerClaims.ToViewer(context.User) is not { } person) return null;
        var members = context.RequestServices.GetRequiredService<AccountMembers>();
        var account = Guid.TryParse(context.Request.Query[CurrentViewer.AccountParameter], out var id) ? id : (Guid?)null;
        return new SignedInViewer(await members.ActingAsync(person, account, context.RequestAborted));
    }
}
