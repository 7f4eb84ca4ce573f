using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Resources;

[Collection(BrowserCollection.Name)]
public sealed class ResourcesTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;

    public async Task InitializeAsync() => app = await AppHost.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task An_admin_adds_a_padlocked_resource_and_the_page_fits_every_width()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsAdminAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Resources" }).ClickAsync();
        await page.WaitForCircuitAsync();

        await page.GetByTestId("add-resource").ClickAsync();
        await page.GetByTestId("resource-path").FillAsync("/v1/chats/{id}");
        await page.GetByTestId("resource-description").FillAsync("Read one chat");
        await page.GetByTestId("resource-session").ClickAsync();
        await page.GetByTestId("limit-live-user").FillAsync("600");
        await page.GetByTestId("save-resource").ClickAsync();
        await Expect(page.GetByTestId("resource-title").First).ToContainTextAsync("GET /v1/chats/{id}");
        await Expect(page.GetByTestId("resource-session-cell").First).ToContainTextAsync("required");

        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var form in new[] { false, true })
            {
                await page.GotoAsync("resources");
                await page.WaitForCircuitAsync();
                if (form) await page.GetByTestId("add-resource").ClickAsync();
                var name = $"resources{(form ? "-form" : "")}-{width}";
                var overflow = await page.ScreenshotAndMeasureOverflowAsync(name);
                if (overflow > 0) problems.Add($"{name} scrolls sideways by {overflow}px");
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
