using ControlPanel.Domain.Configuration;
using ControlPanel.Web.Api;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Gateway;

/// <summary>
/// Gateway mode: ControlPanel in front of the platform's API with YARP, configured by YARP's own "ReverseProxy" section
/// (routes, clusters, destinations, load balancing, health checks, timeouts) and on only when that section has a route.
/// Every proxied request goes through <see cref="GatewayCheck"/> first.
/// </summary>
public static class GatewayHosting
{
    public const string ReverseProxySection = "ReverseProxy";

    /// <summary>On when the configuration has at least one YARP route.</summary>
    public static bool IsOn(IConfiguration configuration) => configuration.GetSection(ReverseProxySection).GetSection("Routes").GetChildren().Any();

    public static void AddControlPanelGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        // The Gateway page says "off" when there is nothing to show.
        builder.Services.AddSingleton<GatewayStatus>();
        if (!IsOn(builder.Configuration)) return;
        builder.Services.AddSingleton(provider => provider.GetRequiredService<IOptions<GatewayOptions>>().Value);
        builder.Services.AddSingleton<GatewayCheck>();
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection(ReverseProxySection));

        // Gateway:Urls are listened on besides the panel's own URLs (ASPNETCORE_URLS or urls, else Kestrel's default).
        var gatewayUrls = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>()?.Urls ?? [];
        if (gatewayUrls.Length > 0)
        {
            var panelUrls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls.Split(';') : ["http://localhost:5000"];
            builder.WebHost.UseUrls([.. panelUrls, .. gatewayUrls]);
        }
    }

    /// <summary>
    /// With Gateway:Urls, a request on a gateway port goes straight to its own routing, which knows the proxied routes and
    /// nothing else, past the panel's middleware (its security headers, status pages, sign-in): a catch-all route takes
    /// /api there too, and a path no route matches answers 195 API DOES NOT EXIST. The panel's ports never proxy.
    /// First in the pipeline.
    /// </summary>
    public static void UseControlPanelGatewayPorts(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (!IsOn(app.Configuration) || options.Urls.Length == 0) return;
        var ports = options.Ports;
        app.MapWhen(context => ports.Contains(context.Connection.LocalPort), gateway =>
        {
            // A branch of a WebApplication routes over its own endpoints only.
            gateway.UseRouting();
            gateway.UseEndpoints(MapProxy);
            gateway.Run(context => ApiRefusal.WriteAsync(context, ApiStatusCodes.UnknownPath, "No gateway route matches this path and method."));
        });
    }

    /// <summary>Without Gateway:Urls, the proxied routes share the panel's port; its own more specific paths win there.</summary>
    public static void MapControlPanelGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (IsOn(app.Configuration) && options.Urls.Length == 0) MapProxy(app);
    }

    /// <summary>The proxied routes, each request checked first (<see cref="GatewayCheck"/>), then YARP's standard steps.</summary>
    private static void MapProxy(IEndpointRouteBuilder endpoints)
    {
        var check = endpoints.ServiceProvider.GetRequiredService<GatewayCheck>();
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.Use(check.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
    }
}
