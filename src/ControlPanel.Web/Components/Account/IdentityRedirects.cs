namespace ControlPanel.Web.Components.Account;

/// <summary>Only relative addresses inside the app are followed after sign-in, so a link cannot send a user elsewhere.</summary>
public static class IdentityRedirects
{
    public static string SafeReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrWhiteSpace(returnUrl)) return "";
        var trimmed = returnUrl.Trim();
        if (trimmed.StartsWith("//") || trimmed.StartsWith("/\\") || trimmed.Contains("://") || trimmed.StartsWith("\\")) return "";
        return trimmed.TrimStart('/');
    }
}
