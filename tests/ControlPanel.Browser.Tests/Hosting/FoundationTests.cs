using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Hosting;

[Collection(BrowserCollection.Name)]
public sealed class FoundationTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;

    public async Task InitializeAsync() => app = await AppHost.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Bootstrap_admin_signs_in_sees_the_admin_dashboard_and_signs_out()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsAdminAsync();
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Administrator");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Staff" })).ToBeVisibleAsync();

        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        await page.GotoAsync("");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
    }

    [Fact]
    public async Task Owner_registers_and_lands_on_the_owner_dashboard()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        await Expect(page.GetByTestId("owner-dashboard")).ToHaveTextAsync("Acme Ltd");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Staff" })).ToHaveCountAsync(0);
        // A new owner is pointed at their first application and shown the first calls against this installation.
        await Expect(page.GetByTestId("create-first-application")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("curl-check")).ToContainTextAsync($"{app.BaseAddress.AbsoluteUri.TrimEnd('/')}/api/v1/check");
    }

    /// <summary>
    /// The pages, the circuit and MudBlazor's dialogs and inline styles all work under the app's Content-Security-Policy:
    /// Chromium reports every refused script, style, frame or connection on the console, and none is reported.
    /// </summary>
    [Fact]
    public async Task The_ui_works_under_its_content_security_policy()
    {
        var page = await browser.NewPageAsync(app);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add(message.Text);
        };
        var login = await page.GotoAsync("Account/Login");
        Assert.Contains("frame-ancestors 'none'", await login!.HeaderValueAsync("content-security-policy"));

        await page.RegisterOwnerAsync("csp@acme.test", "Acme Ltd");
        await page.CreateApplicationAsync("Storefront");
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await page.GotoAsync("usage");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        lock (violations) Assert.Empty(violations);
    }

    [Fact]
    public async Task A_mudblazor_button_click_reaches_the_server_over_the_circuit()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsAdminAsync();
        await page.WaitForCircuitAsync();
        // A second account registered in another browser appears only if the click really reloaded from the server.
        await Expect(page.GetByTestId("stat-accounts")).ToHaveTextAsync("0");
        var other = await browser.NewPageAsync(app);
        await other.RegisterOwnerAsync("second@acme.test", "Second Org");

        await page.GetByTestId("refresh").ClickAsync();
        await Expect(page.GetByTestId("stat-accounts")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_repeated_failures_lock_the_user_out()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(AppHost.AdminEmail, "wrong-password-1");
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("Invalid email or password");

        for (var attempt = 2; attempt <= 5; attempt++)
            await page.SignInAsync(AppHost.AdminEmail, "wrong-password-1");
        await Expect(page.GetByTestId("locked-out")).ToBeVisibleAsync();

        // Locked out means the right password no longer works either.
        await page.SignInAsync(AppHost.AdminEmail, AppHost.AdminPassword);
        await Expect(page.GetByTestId("locked-out")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Unknown_address_shows_the_not_found_page()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsAdminAsync();
        var response = await page.GotoAsync("no/such/page");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
    }
}
