using ControlPanel.Domain.Configuration;
using ControlPanel.Domain.Monitoring;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ControlPanel.Web.Monitoring;

/// <summary>
/// Metrics and traces with OpenTelemetry: the app's own meter (<see cref="ControlPanelMetrics"/>) and ASP.NET Core's,
/// scraped in Prometheus text from the addresses Monitoring:ScrapeFrom names, and sent over OTLP (with the logs) when
/// Monitoring:OtlpEndpoint is set. Log lines carry the trace and span ids of the request they belong to.
/// </summary>
public static class MonitoringHosting
{
    public static void AddControlPanelMonitoring(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MonitoringOptions>(MonitoringOptions.Section);
        var settings = builder.Configuration.GetSection(MonitoringOptions.Section).Get<MonitoringOptions>() ?? new MonitoringOptions();

        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("controlpanel"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ControlPanelMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
                if (settings.PrometheusPath.Length > 0) metrics.AddPrometheusExporter();
            });
        // Traces only when something receives them: a span per request costs the key check for nothing otherwise.
        if (settings.OtlpEndpoint.Length > 0)
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource("System.Net.Http"))
                .WithLogging()
                .UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, new Uri(settings.OtlpEndpoint));
        }
    }

    /// <summary>The Prometheus endpoint, answered only to Monitoring:ScrapeFrom; anyone else falls through to not-found.</summary>
    public static void UseControlPanelMetricsEndpoint(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value;
        if (settings.PrometheusPath.Length == 0) return;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == settings.PrometheusPath && settings.MayScrape(context.Connection.RemoteIpAddress));
    }
}
