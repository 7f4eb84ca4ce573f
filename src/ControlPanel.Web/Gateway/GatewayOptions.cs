using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Web.Gateway;

/// <summary>
/// The "Gateway" section of appsettings.json. Gateway mode itself is on when the YARP section "ReverseProxy" has a route
/// (<see cref="GatewayHosting"/>); this section only says where the proxied API listens.
/// </summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>
    /// URLs (with their port, e.g. <c>http://0.0.0.0:8080</c>) the gateway listens on besides the panel's own. When set,
    /// those ports answer proxied routes only, and the panel's ports never proxy. Empty (the default): the proxied routes
    /// share the panel's port, and the panel's own paths (/api, the UI) win over a route that would match them too.
    /// </summary>
    public string[] Urls { get; set; } = [];

    /// <summary>The ports of <see cref="Urls"/>, where only proxied routes answer.</summary>
    public IReadOnlySet<int> Ports => Urls.Select(u => new Uri(u).Port).ToHashSet();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var url in Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !url.Contains(":" + uri.Port, StringComparison.Ordinal))
                yield return new ValidationResult($"Gateway:Urls: '{url}' is not an http or https URL with its port (e.g. http://0.0.0.0:8080).", [nameof(Urls)]);
        }
    }
}
