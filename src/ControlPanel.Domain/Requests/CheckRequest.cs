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

    /// <summary>False for calls the platform does not count towards the monthly quota.</summary>
    public bool Counted { get; init; } = true;

    /// <summary>The resource needs a session (the seed's padlock): no Bearer token answers 194.</summary>
    public bool SessionRequired { get; init; }
}
