using System.Reflection;
using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Pages.Admin;
using ControlPanel.Web.Gateway;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Gateway;

/// <summary>The Gateway page over the app in gateway mode: YARP's own state of two routes and a cluster.</summary>
public sealed class GatewayPageTests : ComponentTest
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ReverseProxy:Routes:api:ClusterId", "api"),
        new("ReverseProxy:Routes:api:Match:Path", "/platform/{**rest}"),
        new("ReverseProxy:Routes:api:Match:Methods:0", "GET"),
        new("ReverseProxy:Routes:docs:ClusterId", "api"),
        new("ReverseProxy:Routes:docs:Match:Path", "/docs/{**rest}"),
        new("ReverseProxy:Routes:docs:Metadata:ControlPanel.Check", "Off"),
        new("ReverseProxy:Routes:docs:Metadata:ControlPanel.Credentials", "Keep"),
        new("ReverseProxy:Clusters:api:LoadBalancingPolicy", "RoundRobin"),
        new("ReverseProxy:Clusters:api:Destinations:one:Address", "http://10.0.0.11:5000/"),
        new("ReverseProxy:Clusters:api:Destinations:two:Address", "http://10.0.0.12:5000/"),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // YARP loads its routes when they are mapped, as Program does.
        App.MapControlPanelGateway();
    }

    [Fact]
    public void An_admin_sees_routes_with_their_check_and_the_clusters_destinations()
    {
        SignIn(Admin);
        var page = Render<GatewayPage>();

        page.WaitForAssertion(() => Assert.Equal(["api", "docs"], page.FindAll("[data-testid=route-id]").Select(c => c.TextContent.Trim())));
        Assert.Equal(["On", "Off"], page.FindAll("[data-testid=route-check]").Select(c => c.TextContent.Trim()));
        var routes = page.Find("[data-testid=gateway-routes]").TextContent;
        Assert.Contains("/platform/{**rest}", routes);
        Assert.Contains("GET", routes);
        Assert.Contains("Removed", routes);
        Assert.Contains("Forwarded", routes);

        var cluster = page.Find("[data-testid=gateway-cluster]");
        Assert.Contains("Cluster api", cluster.TextContent);
        Assert.Contains("Load balancing RoundRobin", cluster.TextContent);
        Assert.Equal(["one", "two"], page.FindAll("[data-testid=destination-id]").Select(c => c.TextContent.Trim()));
        Assert.Contains("http://10.0.0.12:5000/", cluster.TextContent);
        // No active health check configured: both destinations are in the rotation, never checked.
        Assert.Equal(["Available", "Available"], page.FindAll("[data-testid=destination-health]").Select(c => c.TextContent.Trim()));
        Assert.Equal("2 of 2 available", page.Find("[data-testid=cluster-available]").TextContent.Trim());
    }

    [Fact]
    public async Task Only_admins_may_see_it_support_and_owners_are_refused()
    {
        var authorize = typeof(GatewayPage).GetCustomAttribute<AuthorizeAttribute>();
        Assert.Equal(Roles.Admin, authorize?.Roles);

        // The service behind it refuses them too, whoever renders it.
        var status = Services.GetRequiredService<GatewayStatus>();
        var support = await NewStaffAsync(Roles.Support);
        var owner = await NewOwnerAsync("Acme Ltd");
        Assert.Throws<AccessDeniedException>(() => status.Read(support));
        Assert.Throws<AccessDeniedException>(() => status.Read(owner));
        Assert.True(status.Read(Admin).On);
    }
}

/// <summary>The Gateway page with no ReverseProxy section: it says gateway mode is off.</summary>
public sealed class GatewayPageOffTests : ComponentTest
{
    [Fact]
    public void Without_a_reverse_proxy_section_the_page_says_gateway_mode_is_off()
    {
        SignIn(Admin);
        var page = Render<GatewayPage>();
        page.WaitForAssertion(() => Assert.Contains("Gateway mode is off", page.Find("[data-testid=gateway-off]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=gateway-routes]"));
    }
}
