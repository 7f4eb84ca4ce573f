using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Layout;

/// <summary>
/// Every page, as each role that can open it, at a laptop (1366×768) and a phone (390×844) width: nothing scrolls
/// sideways and Sign out is in view. Each page is saved as a screenshot (CONTROLPANEL_SCREENSHOTS, else
/// TestResults/screenshots) so a person can look at what the tests saw.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FitTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly (int Width, int Height)[] Sizes = [(1366, 768), (390, 844)];
    private AppHost app = default!;

    public async Task InitializeAsync() => app = await AppHost.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Every_page_fits_a_laptop_and_a_phone_for_every_role()
    {
        // Names at their limit (80 characters) and in one word, the hardest to fit: they wrap, the page never scrolls sideways.
        var applicationName = string.Concat(Enumerable.Repeat("Storefrontcheckout", 5))[..80];
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("fit-owner@acme.test", string.Concat(Enumerable.Repeat("Acmecorporationinternational", 3))[..80]);
        await owner.CreateApplicationAsync(applicationName);
        await owner.GetByTestId("dismiss-secrets").ClickAsync();
        // Dismissing the keys opens the new application's page, an enhanced navigation: no load event to wait for.
        await Expect(owner).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/applications/[0-9a-f-]{36}$"));
        var applicationPath = new Uri(owner.Url).AbsolutePath.TrimStart('/');
        // A token in the list, so the table's phone layout is measured too.
        await owner.GotoAsync("access-tokens");
        await owner.WaitForCircuitAsync();
        await owner.GetByTestId("token-name").FillAsync("Deployment pipeline of the storefront");
        await owner.GetByTestId("create-token").ClickAsync();
        await owner.GetByTestId("dismiss-secrets").ClickAsync();

        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        var support = await browser.NewPageAsync(app);
        await support.SignInAsNewStaffAsync(browser, app, "fit-support@acme.test", "Support");

        string[] shared = ["", "applications", applicationPath, "webhooks", "usage", "audit", "Account/Manage", "Account/Manage/Passkeys"];
        var problems = new List<string>();
        await CheckAsync(owner, "owner", [.. shared, "access-tokens"], problems);
        await CheckAsync(support, "support", [.. shared, "admin/overview"], problems);
        await CheckAsync(admin, "admin", [.. shared, "admin/overview", "admin/accounts", "staff", "admin/gateway", "access-tokens"], problems);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static async Task CheckAsync(IPage page, string role, IEnumerable<string> paths, List<string> problems)
    {
        foreach (var (width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var path in paths)
            {
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                var name = $"{role}-{(path == "" ? "dashboard" : path.StartsWith("applications/") ? "application" : path.Replace('/', '-'))}-{width}";
                var overflow = await page.ScreenshotAndMeasureOverflowAsync(name);
                if (overflow > 0) problems.Add($"{role} /{path} at {width}px scrolls sideways by {overflow}px");
                if (!await page.GetByTestId("sign-out").IsVisibleAsync()) problems.Add($"{role} /{path} at {width}px: Sign out is not visible");
            }
        }
    }
}
