using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPanel.Web.Components.Account;

/// <summary>Only addresses inside the app are followed after sign-in or sign-out, so a link cannot send a user elsewhere.</summary>
public static class IdentityRedirects
{
    /// <summary>
    /// The return address as an app-local path ("/applications/3"), or "" when it is not local. "Local" is the framework's
    /// own rule (<c>Url.IsLocalUrl</c>): one leading "/" (or "~/") not followed by "/" or "\", and no control characters, so
    /// "http:\/evil", "//evil", "/\evil" and "/\t/evil" (browsers drop the tab) are all refused rather than patched up.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl)
    {
        if (!RedirectHttpResult.IsLocalUrl(returnUrl)) return "";
        // "~/x" is the framework's app-relative form; a browser or NavigationManager would read it as a relative path.
        return returnUrl!.StartsWith('~') ? returnUrl[1..] : returnUrl;
    }
}
