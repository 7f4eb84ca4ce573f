using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Accounts;

/// <summary>
/// Passkeys end to end in Chromium, with its virtual authenticator (DevTools' WebAuthn domain) standing in for a phone or
/// a security key. WebAuthn needs a secure context and a domain for the relying party (an IP address is not one), so
/// these pages are opened on http://localhost (secure, like every loopback name), not the app's 127.0.0.1 address.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyTests(BrowserFixture browser)
{
    private const string OwnerEmail = "pat@passkeys.test";

    /// <summary>A page on localhost with an authenticator that holds resident keys and verifies its user without asking.</summary>
    private async Task<IPage> PageWithAuthenticatorAsync(AppHost app, int width = 1280)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = $"http://localhost:{app.BaseAddress.Port}/",
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
        });
        context.SetDefaultTimeout(15_000);
        app.OnDispose(() => context.CloseAsync());
        var page = await context.NewPageAsync();
        var devTools = await context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return page;
    }

    [Fact]
    public async Task An_owner_adds_a_passkey_signs_out_and_signs_in_with_the_passkey_alone()
    {
        await using var app = await AppHost.StartAsync();
        var page = await PageWithAuthenticatorAsync(app);
        await page.RegisterOwnerAsync(OwnerEmail, "Passkey Ltd");

        await page.GotoAsync("Account/Manage");
        await page.GetByTestId("manage-passkeys").ClickAsync();
        await Expect(page.GetByTestId("no-passkeys")).ToBeVisibleAsync();
        // The name comes first: the browser's dialog opens only for a form that would be accepted.
        await page.GetByTestId("add-passkey").ClickAsync();
        await Expect(page.GetByTestId("passkey-row")).ToHaveCountAsync(0);
        await page.GetByTestId("passkey-name").FillAsync("Work laptop");
        await page.GetByTestId("add-passkey").ClickAsync();
        await Expect(page.GetByTestId("passkey-added")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("passkey-row-name")).ToHaveTextAsync("Work laptop");

        await page.GetByTestId("passkey-rename-name").FillAsync("Laptop");
        await page.GetByTestId("passkey-rename").ClickAsync();
        await Expect(page.GetByTestId("passkey-row-name")).ToHaveTextAsync("Laptop");
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
            await page.GotoAsync("Account/Manage/Passkeys");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Equal(0, await page.ScreenshotAndMeasureOverflowAsync($"passkeys-{width}"));
        }
        await page.SetViewportSizeAsync(1280, 800);

        await page.GotoAsync("");
        await page.SignOutAsync();
        await page.GetByTestId("passkey-sign-in").ClickAsync();
        await Expect(page.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
        await page.SignOutAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("Account/Login");
        Assert.Equal(0, await page.ScreenshotAndMeasureOverflowAsync("login-with-passkey-390"));
        await page.SetViewportSizeAsync(1280, 800);

        // Removed, the passkey signs nobody in.
        await page.SignInAsync(OwnerEmail, "Owner-password-1");
        await Expect(page.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
        await page.GotoAsync("Account/Manage/Passkeys");
        await page.GetByTestId("passkey-remove").ClickAsync();
        await Expect(page.GetByTestId("no-passkeys")).ToBeVisibleAsync();
        await page.GotoAsync("");
        await page.SignOutAsync();
        await page.GetByTestId("passkey-sign-in").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("That passkey did not sign you in");
    }

    [Fact]
    public async Task A_staff_member_who_must_set_up_two_factor_may_add_a_passkey_instead_and_then_signs_in_with_it()
    {
        await using var app = await AppHost.StartAsync();
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        await admin.GotoAsync("staff");
        await admin.WaitForCircuitAsync();
        await admin.GetByTestId("invite-email").FillAsync("sam@passkeys.test");
        await admin.GetByTestId("invite-name").FillAsync("Sam Support");
        await admin.GetByTestId("invite-role").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Support", Exact = true }).ClickAsync();
        await Expect(admin.GetByTestId("invite-role")).ToContainTextAsync("Support");
        await admin.GetByTestId("invite").ClickAsync();
        var link = new Uri(await admin.GetByTestId("invitation-link").InnerTextAsync());

        var page = await PageWithAuthenticatorAsync(app);
        await page.GotoAsync(link.PathAndQuery.TrimStart('/'));
        await page.GetByTestId("password").FillAsync("Staff-password-1");
        await page.GetByTestId("confirm-password").FillAsync("Staff-password-1");
        await page.GetByTestId("accept").ClickAsync();
        await Expect(page.GetByTestId("2fa-required")).ToBeVisibleAsync();
        await page.GetByTestId("2fa-use-passkey").ClickAsync();
        await page.GetByTestId("passkey-name").FillAsync("Phone");
        await page.GetByTestId("add-passkey").ClickAsync();
        await Expect(page.GetByTestId("passkey-added")).ToBeVisibleAsync();
        // The passkey is the second factor: the panel opens.
        await page.GotoAsync("");
        await Expect(page.GetByTestId("support-dashboard")).ToBeVisibleAsync();

        // The password alone no longer lets them in; the passkey does.
        await page.SignOutAsync();
        await page.SignInAsync("sam@passkeys.test", "Staff-password-1");
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("sign in with it");
        await page.GotoAsync("");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await page.GetByTestId("passkey-sign-in").ClickAsync();
        await Expect(page.GetByTestId("support-dashboard")).ToBeVisibleAsync();
    }
}
