using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Sessions;

/// <summary>An owner opens a session with HTTP calls, reads what it did on the Sessions tab and its page, and ends it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionsTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;
    private HttpClient api = default!;

    public async Task InitializeAsync()
    {
        app = await AppHost.StartAsync(settings: new Dictionary<string, string> { ["Api:RequireHttps"] = "false" });
        api = new HttpClient { BaseAddress = app.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
    }

    private async Task<HttpStatusCode> CallAsync(string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/check");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Forwarded-Method", "GET");
        request.Headers.Add("X-Forwarded-Uri", path);
        return (await api.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Owner_reads_a_session_s_calls_on_its_page_and_ends_it()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var (applicationKey, consumerKey) = await page.CreateApplicationAsync("Storefront");
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("application-title")).ToHaveTextAsync("Storefront");

        using var open = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session");
        open.Headers.Add("APPLICATIONKEY", applicationKey);
        open.Headers.Add("CONSUMERKEY", consumerKey);
        var opened = await api.SendAsync(open);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var token = JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await CallAsync(token, $"/v1/chats/{i}"));

        await page.GetByRole(AriaRole.Tab, new() { Name = "Sessions" }).ClickAsync();
        await Expect(page.GetByTestId("session-link")).ToHaveCountAsync(1);
        // Activity is written every second: refresh until the calls show.
        await Eventually.TrueAsync(async () =>
        {
            await page.GetByTestId("refresh-sessions").ClickAsync();
            return (await page.GetByTestId("session-calls").InnerTextAsync()).Trim() == "3";
        }, "the session's three calls after a refresh");
        await Expect(page.GetByTestId("session-calls")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("session-address")).ToHaveTextAsync("127.0.0.1");

        await page.GetByTestId("session-link").ClickAsync();
        await Expect(page.GetByTestId("session-total-calls")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("session-resource-name")).ToHaveTextAsync(["any /**"]);
        await Expect(page.GetByTestId("session-outcome-chart").Locator("svg.apexcharts-svg")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("session-resource-chart").Locator("svg.apexcharts-svg")).ToBeVisibleAsync();

        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            var overflow = await page.ScreenshotAndMeasureOverflowAsync($"session-page-{width}");
            if (overflow > 0) problems.Add($"the session page at {width}px scrolls sideways by {overflow}px");
        }
        await page.SetViewportSizeAsync(1366, 768);

        await page.GetByTestId("session-outcome-chart-toggle").ClickAsync();
        await Expect(page.GetByTestId("session-outcome-table")).ToBeVisibleAsync();

        await page.GetByTestId("end-session").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByTestId("session-state")).ToHaveTextAsync("Ended");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(token, "/v1/chats/9"));

        await page.GetByTestId("session-application").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sessions" }).ClickAsync();
        await Expect(page.GetByTestId("session-row-state")).ToHaveTextAsync("Ended");
        foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            var overflow = await page.ScreenshotAndMeasureOverflowAsync($"sessions-tab-{width}");
            if (overflow > 0) problems.Add($"the Sessions tab at {width}px scrolls sideways by {overflow}px");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
