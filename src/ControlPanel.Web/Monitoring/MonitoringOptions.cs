using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ControlPanel.Web.Monitoring;

/// <summary>The "Monitoring" section: where metrics can be scraped and where metrics, traces and logs are sent.</summary>
public sealed class MonitoringOptions : IValidatableObject
{
    public const string Section = "Monitoring";

    /// <summary>Path of the Prometheus text endpoint; empty turns it off.</summary>
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>
    /// Client addresses (or CIDR ranges) that may read <see cref="PrometheusPath"/>; everyone else gets the not-found page.
    /// Behind a trusted proxy the forwarded client address counts, not the proxy's.
    /// </summary>
    public string[] ScrapeFrom { get; set; } = ["127.0.0.1", "::1"];

    /// <summary>An OTLP collector (for example http://otel-collector:4317) that gets metrics, traces and logs; empty sends nothing.</summary>
    public string OtlpEndpoint { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PrometheusPath.Length > 0 && !PrometheusPath.StartsWith('/'))
            yield return new ValidationResult("Monitoring:PrometheusPath must start with '/' (or be empty to turn the endpoint off).", [nameof(PrometheusPath)]);
        foreach (var entry in ScrapeFrom)
        {
            if (!IPAddress.TryParse(entry, out _) && !IPNetwork.TryParse(entry, out _))
                yield return new ValidationResult($"Monitoring:ScrapeFrom: '{entry}' is not an IP address or CIDR range.", [nameof(ScrapeFrom)]);
        }
        if (OtlpEndpoint.Length > 0 && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
            yield return new ValidationResult($"Monitoring:OtlpEndpoint: '{OtlpEndpoint}' is not an absolute URL.", [nameof(OtlpEndpoint)]);
    }

    /// <summary>Whether a client at <paramref name="address"/> may read the metrics.</summary>
    public bool MayScrape(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var entry in ScrapeFrom)
        {
            if (IPAddress.TryParse(entry, out var allowed) ? allowed.Equals(address) : IPNetwork.Parse(entry).Contains(address))
                return true;
        }
        return false;
    }
}
