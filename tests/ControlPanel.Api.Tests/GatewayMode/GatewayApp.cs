using System.Net;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;

namespace ControlPanel.Api.Tests.GatewayMode;

/// <summary>
/// The app in gateway mode on Kestrel: the panel on one loopback port, the proxied API on another (Gateway:Urls), in
/// front of two real upstreams. Routes: everything to <see cref="Upstream"/> (checked), /public/ unchecked, /keep/
/// keeping credentials, /down/ to a port nothing listens on, /slow to an upstream path that answers after the
/// cluster's 1 s timeout, /pair/ over <see cref="Upstream"/>
/// and <see cref="Second"/> with active health checks every second.
/// </summary>
public sealed class GatewayApp : IAsyncLifetime
{
    public ControlPanelFactory Factory { get; private set; } = null!;
    public TestUpstream Upstream { get; private set; } = null!;
    public TestUpstream Second { get; private set; } = null!;
    public int PanelPort { get; } = AppProcess.FreePort();
    public int GatewayPort { get; } = AppProcess.FreePort();
    public HttpClient Client { get; private set; } = null!;
    public HttpClient Panel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await TestUpstream.StartAsync("one");
        Second = await TestUpstream.StartAsync("two");
        var deadPort = AppProcess.FreePort();
        Factory = new ControlPanelFactory()
            .With("Api:RequireHttps", "false")
            .With("Gateway:Urls:0", $"http://127.0.0.1:{GatewayPort}")
            .With("ReverseProxy:Routes:api:ClusterId", "api")
            .With("ReverseProxy:Routes:api:Match:Path", "/{**rest}")
            .With("ReverseProxy:Routes:public:ClusterId", "api")
            .With("ReverseProxy:Routes:public:Match:Path", "/public/{**rest}")
            .With("ReverseProxy:Routes:public:Metadata:ControlPanel.Check", "Off")
            .With("ReverseProxy:Routes:keep:ClusterId", "api")
            .With("ReverseProxy:Routes:keep:Match:Path", "/keep/{**rest}")
            .With("ReverseProxy:Routes:keep:Metadata:ControlPanel.Credentials", "Keep")
            .With("ReverseProxy:Routes:down:ClusterId", "down")
            .With("ReverseProxy:Routes:down:Match:Path", "/down/{**rest}")
            .With("ReverseProxy:Routes:slow:ClusterId", "slow")
            .With("ReverseProxy:Routes:slow:Match:Path", "/slow")
            .With("ReverseProxy:Clusters:slow:Destinations:one:Address", Upstream.Url)
            .With("ReverseProxy:Clusters:slow:HttpRequest:ActivityTimeout", "00:00:01")
            .With("ReverseProxy:Routes:pair:ClusterId", "pair")
            .With("ReverseProxy:Routes:pair:Match:Path", "/pair/{**rest}")
            .With("ReverseProxy:Clusters:api:Destinations:one:Address", Upstream.Url)
            .With("ReverseProxy:Clusters:down:Destinations:dead:Address", $"http://127.0.0.1:{deadPort}/")
            .With("ReverseProxy:Clusters:pair:LoadBalancingPolicy", "RoundRobin")
            .With("ReverseProxy:Clusters:pair:HealthCheck:Active:Enabled", "true")
            .With("ReverseProxy:Clusters:pair:HealthCheck:Active:Interval", "00:00:01")
            .With("ReverseProxy:Clusters:pair:HealthCheck:Active:Timeout", "00:00:01")
            .With("ReverseProxy:Clusters:pair:HealthCheck:Active:Policy", "ConsecutiveFailures")
            .With("ReverseProxy:Clusters:pair:HealthCheck:Active:Path", "/health")
            .With("ReverseProxy:Clusters:pair:Destinations:one:Address", Upstream.Url)
            .With("ReverseProxy:Clusters:pair:Destinations:two:Address", Second.Url);
        Factory.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, PanelPort);
            kestrel.Listen(IPAddress.Loopback, GatewayPort);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        Factory.StartServer();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{GatewayPort}") };
        Panel = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{PanelPort}") };
    }

    public IProxyStateLookup ProxyState => Factory.Services.GetRequiredService<IProxyStateLookup>();

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Panel.Dispose();
        await Factory.DisposeAsync();
        await Upstream.DisposeAsync();
        await Second.DisposeAsync();
    }
}
