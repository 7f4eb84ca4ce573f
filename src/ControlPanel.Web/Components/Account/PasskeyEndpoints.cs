using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Web.Components.Account;

/// <summary>
/// The two calls wwwroot-assets/passkeys.js makes before the browser's passkey dialog: the options to make a passkey
/// (the signed-in user, on the passkeys page) and to use one (anyone, on the sign-in page). Identity keeps the
/// challenge in a cookie, and the form the script then posts finishes the job (Passkeys.razor, Login.razor). Both check
/// the form's antiforgery token, so another site cannot start either.
/// </summary>
public static class PasskeyEndpoints
{
    public const string CreationOptionsPath = "/Account/Passkeys/CreationOptions";
    public const string RequestOptionsPath = "/Account/Passkeys/RequestOptions";

    /// <summary>
    /// The browser signs the page's origin into every passkey answer. Identity's default compares it with the post's Origin
    /// header, which this app's Referrer-Policy (no-referrer) turns into "null"; so it is compared with this request's own
    /// scheme and host instead (the forwarded ones behind a trusted proxy), and a cross-origin answer is refused.
    /// </summary>
    public static void AddPasskeyOptions(this IServiceCollection services) =>
        services.Configure<IdentityPasskeyOptions>(options => options.ValidateOrigin = context =>
        {
            var request = context.HttpContext.Request;
            return ValueTask.FromResult(!context.CrossOrigin && Uri.TryCreate(context.Origin, UriKind.Absolute, out var origin)
                && origin.Equals(new Uri($"{request.Scheme}://{request.Host}")));
        });

    public static void MapPasskeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(CreationOptionsPath, async (HttpContext context, UserManager<ControlPanelUser> users, SignInManager<ControlPanelUser> signIn, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest();
            // The signed-in user, also a staff member who must still set up a second factor (a passkey is one).
            var user = await users.GetUserAsync(context.User);
            if (user is null) return Results.Unauthorized();
            var name = user.Email ?? user.UserName ?? user.Id;
            var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
            {
                Id = user.Id,
                Name = name,
                DisplayName = string.IsNullOrWhiteSpace(user.DisplayName) ? name : user.DisplayName,
            });
            return Results.Content(options, "application/json");
        }).RequireAuthorization().ExcludeFromDescription();

        endpoints.MapPost(RequestOptionsPath, async (HttpContext context, SignInManager<ControlPanelUser> signIn, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest();
            // No user: the browser offers the passkeys it holds for this site (discoverable credentials), so the page never says who has one.
            return Results.Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");
        }).ExcludeFromDescription();
    }
}
