using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Gateway;

/// <summary>The app in gateway mode in front of two real upstreams with active health checks: an Admin watches one fail.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GatewayPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestUpstream one = default!;
    private TestUpstream two = default!;
    private AppHost app = default!;

    public async Task InitializeAsync()
    {
        one = await TestUpstream.StartAsync("one");
        two = await TestUpstream.StartAsync("two");
        app = await AppHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["ReverseProxy:Routes:api:ClusterId"] = "api",
            ["ReverseProxy:Routes:api:Match:Path"] = "/platform/{**rest}",
            ["ReverseProxy:Routes:docs:ClusterId"] = "api",
            ["ReverseProxy:Routes:docs:Match:Path"] = "/docs/{**rest}",
            ["ReverseProxy:Routes:docs:Metadata:ControlPanel.Check"] = "Off",
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Enabled"] = "true",
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Interval"] = "00:00:01",
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Timeout"] = "00:00:01",
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Path"] = "/health",
            ["ReverseProxy:Clusters:api:Destinations:one:Address"] = one.Url,
            ["ReverseProxy:Clusters:api:Destinations:two:Address"] = two.Url,
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await one.DisposeAsync();
        await two.DisposeAsync();
    }

    [Fact]
    public async Task An_admin_sees_the_routes_and_watches_a_destination_go_out_of_rotation()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsAdminAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Gateway" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Gateway", Level = 1 })).ToBeVisibleAsync();
        await page.WaitForCircuitAsync();

        await Expect(page.GetByTestId("route-id")).ToHaveTextAsync(["api", "docs"]);
        await Expect(page.GetByTestId("route-check")).ToHaveTextAsync(["On", "Off"]);
        var rows = page.GetByTestId("gateway-cluster").Locator("tbody tr");
        var second = rows.Filter(new() { Has = page.GetByTestId("destination-id").GetByText("two", new() { Exact = true }) });
        await Expect(second.GetByTestId("destination-active")).ToHaveTextAsync("Healthy", new() { Timeout = 20_000 });
        await Expect(second.GetByTestId("destination-health")).ToHaveTextAsync("Available");

        two.Healthy = false;
        // The page follows health on its own (every 5 seconds); the checks run every second.
        await Expect(second.GetByTestId("destination-health")).ToHaveTextAsync("Out of rotation", new() { Timeout = 30_000 });
        await Expect(second.GetByTestId("destination-active")).ToHaveTextAsync("Unhealthy");
        await Expect(page.GetByTestId("cluster-available")).ToHaveTextAsync("1 of 2 available");

        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            var overflow = await page.ScreenshotAndMeasureOverflowAsync($"admin-gateway-{width}");
            if (overflow > 0) problems.Add($"/admin/gateway at {width}px scrolls sideways by {overflow}px");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
