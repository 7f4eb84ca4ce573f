using System.Net;

namespace ControlPanel.Domain.Requests;

/// <summary>
/// One call to check, as plain values: the HTTP endpoints (and the UI's "test this key") read their
/// input into this and hand it to <see cref="RequestCheck"/>.
/// </summary>
public sealed record CheckRequest
{
    /// <summary>APPLICATIONKEY (header or Basic user name); null or empty when not sent.</summary>
    public string? ApplicationKey { get; init; }

    /// <summary>CONSUMERKEY (header or Basic password); null or empty when not sent.</summary>
    public string? ConsumerKey { get; init; }

    /// <summary>The Bearer token; null when no Bearer credentials were sent, empty when the token itself was missing.</summary>
    public string? SessionToken { get; init; }

    /// <summary>The transport found the credentials unreadable (repeated headers, broken Basic, unknown scheme): 102.</summary>
    public bool MalformedCredentials { get; init; }

    /// <summary>The client's address, as resolved through trusted proxies.</summary>
    public IPAddress? ClientIp { get; init; }

    /// <summary>The client address as text, used for the per-IP rate-limit partition; "unknown" when there is none.</summary>
    public string ClientIpText => ClientIp?.ToString() ?? "unknown";

    /// <summary>The client's Origin header, if any.</summary>
    public string? Origin { get; init; }

    /// <summary>The client's call was made over HTTPS.</summary>
    public bool IsHttps { get; init; }

    /// <summary>
    /// The client's call: its method (GET, POST...) and path or URI, as the gateway passes them. Together they name the
    /// resource (<see cref="Resources.ResourceCatalogue"/>) whose rules and windows apply; without a path the call is the
    /// default resource's.
    /// </summary>
    public string? Method { get; init; }

    /// <inheritdoc cref="Method"/>
    public string? Path { get; init; }

    /// <summary>Opening a session or changing its view: not a resource of the platform (<see cref="Resources.RouteTable.SessionManagement"/>).</summary>
    public bool SessionManagement { get; init; }

    /// <summary>
    /// False when the gateway (with the gateway secret) says the call does not count towards the monthly quota: the older
    /// way, before the catalogue said it per resource. A call counts only when both its resource and this say so.
    /// </summary>
    public bool Counted { get; init; } = true;

    /// <summary>
    /// The gateway says the resource needs a session (the seed's padlock): the older way, before the catalogue said it per
    /// resource. A call without a Bearer token answers 194 when either says so.
    /// </summary>
    public bool SessionRequired { get; init; }
}
