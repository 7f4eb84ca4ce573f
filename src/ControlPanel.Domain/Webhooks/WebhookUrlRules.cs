using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// The rules an endpoint URL must meet when it is saved. The address rules are checked again at
/// delivery time, on the address actually connected to (<see cref="WebhookHttp"/>), so a host that
/// later resolves elsewhere (DNS rebinding) is still refused.
/// </summary>
public sealed class WebhookUrlRules(IOptions<WebhookOptions> options)
{
    /// <summary>
    /// For a developer: how to let endpoints reach a receiver on their own machine (http://localhost:…), which the
    /// settings refuse by default; null when both are already allowed. Shown only in Development, never to production users.
    /// </summary>
    public string? LocalReceiverAdvice()
    {
        var settings = options.Value;
        var missing = new List<string>();
        if (!settings.AllowHttp) missing.Add($"{WebhookOptions.Section}:{nameof(WebhookOptions.AllowHttp)}");
        if (!settings.AllowPrivateAddresses) missing.Add($"{WebhookOptions.Section}:{nameof(WebhookOptions.AllowPrivateAddresses)}");
        if (missing.Count == 0) return null;
        return $"Development: to deliver to a receiver on this machine (http://localhost:…), set {string.Join(" and ", missing)} to true, "
            + $"in appsettings.Development.json or as environment variables ({string.Join(", ", missing.Select(m => m.Replace(":", "__") + "=true"))}), and restart. "
            + "Leave them off in production.";
    }

    /// <summary>Why the URL is refused, in words for the form, or null when it may be saved.</summary>
    public async Task<string?> CheckAsync(string? url, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(url)) return "Enter the URL.";
        url = url.Trim();
        if (url.Length > WebhookEndpoint.UrlMaxLength) return $"The URL is at most {WebhookEndpoint.UrlMaxLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
            return "Enter a full URL, such as https://example.com/webhooks.";
        if (uri.Scheme == "http" && !settings.AllowHttp) return "The URL must use HTTPS (https://...).";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "Leave the user name and password out of the URL; verify deliveries by their signature instead.";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "Leave the #fragment out of the URL.";
        if (settings.AllowPrivateAddresses) return null;

        IPAddress[] addresses;
        try
        {
            addresses = await WebhookHttp.ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host {uri.Host} could not be found (DNS).";
        }
        // The address and its kind are not named: the answer would otherwise map the internal DNS for whoever types hosts in.
        if (addresses.Any(address => NetworkAddressRules.WhyRefused(address) is not null))
            return $"The URL's host {uri.Host} resolves to a non-public address. Webhooks may only reach public addresses.";
        return null;
    }
}
