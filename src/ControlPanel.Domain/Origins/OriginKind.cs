namespace ControlPanel.Domain.Origins;

/// <summary>What an allowlist entry matches against.</summary>
public enum OriginKind
{
    /// <summary>The request's <c>Origin</c> header (scheme, host and port).</summary>
    Url,

    /// <summary>The client's IP address (a single address or a CIDR range).</summary>
    Ip,
}
