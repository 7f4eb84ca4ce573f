using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests;

/// <summary>Steps many tests share: signing in and out, registering, waiting for the circuit.</summary>
public static class PageActions
{
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("sign-in").ClickAsync();
    }

    public static async Task SignInAsAdminAsync(this IPage page)
    {
        await page.SignInAsync(AppHost.AdminEmail, AppHost.AdminPassword);
        await page.CompleteTwoFactorAsync(AppHost.AdminEmail);
        await Expect(page.GetByTestId("admin-dashboard")).ToBeVisibleAsync();
    }

    /// <summary>
    /// After a staff member's password (or invitation) was accepted: staff must use two-factor, so the first time they set
    /// up an authenticator (and save their recovery codes), later they enter its next code.
    /// </summary>
    public static async Task CompleteTwoFactorAsync(this IPage page, string email)
    {
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/Account/(LoginWith2fa|Manage/TwoFactor)"));
        var authenticator = Authenticator.Of(page, email);
        if (page.Url.Contains("/Account/LoginWith2fa", StringComparison.Ordinal))
        {
            await page.GetByTestId("code").FillAsync(await authenticator.NextCodeAsync());
            await page.GetByTestId("verify").ClickAsync();
            return;
        }
        await Expect(page.GetByTestId("2fa-required")).ToBeVisibleAsync();
        var key = (await page.GetByTestId("authenticator-key").InnerTextAsync()).Replace(" ", "");
        await page.GetByTestId("code").FillAsync(authenticator.CodeForSetUp(key));
        await page.GetByTestId("enable-2fa").ClickAsync();
        await page.GetByTestId("continue").ClickAsync();
    }

    /// <summary>Signs out with the header's button and waits for the sign-in page.</summary>
    public static async Task SignOutAsync(this IPage page)
    {
        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
    }

    public static async Task RegisterOwnerAsync(this IPage page, string email, string organisation, string password = "Owner-password-1")
    {
        await page.GotoAsync("Account/Register");
        await page.GetByTestId("account-name").FillAsync(organisation);
        await page.GetByTestId("display-name").FillAsync("Olivia Owner");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("confirm-password").FillAsync(password);
        await page.GetByTestId("register").ClickAsync();
        // Registration signs nobody in (its answer must not tell whether the email existed): sign in as the owner.
        await Expect(page.GetByTestId("registered")).ToBeVisibleAsync();
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the page's Blazor circuit is up (the layout marks it), so clicks reach the server.</summary>
    public static async Task WaitForCircuitAsync(this IPage page) =>
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Creates an application from the list page's dialog; returns the keys shown that one time. The one-time key
    /// dialog stays open: the caller dismisses it with "dismiss-secrets", which opens the new application's page.
    /// </summary>
    public static async Task<(string ApplicationKey, string ConsumerKey)> CreateApplicationAsync(this IPage page, string name)
    {
        await page.GotoAsync("applications");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("new-application").ClickAsync();
        await page.GetByTestId("application-name").FillAsync(name);
        await page.GetByTestId("create-application").ClickAsync();
        await Expect(page.GetByTestId("one-time-secret-dialog")).ToBeVisibleAsync();
        return (await page.GetByTestId("issued-application-key").InnerTextAsync(), await page.GetByTestId("issued-consumer-key").InnerTextAsync());
    }

    /// <summary>An Admin invites a staff member; the invitee accepts in this page and ends up signed in.</summary>
    public static async Task SignInAsNewStaffAsync(this IPage page, BrowserFixture browser, AppHost app, string email, string role)
    {
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        await admin.GotoAsync("staff");
        await admin.WaitForCircuitAsync();
        await admin.GetByTestId("invite-email").FillAsync(email);
        await admin.GetByTestId("invite-name").FillAsync(role + " person");
        await admin.GetByTestId("invite-role").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = role, Exact = true }).ClickAsync();
        await Expect(admin.GetByTestId("invite-role")).ToContainTextAsync(role); // the choice has reached the form
        await admin.GetByTestId("invite").ClickAsync();
        var link = await admin.GetByTestId("invitation-link").InnerTextAsync();
        await admin.Context.CloseAsync();

        await page.GotoAsync(link);
        await page.GetByTestId("password").FillAsync("Staff-password-1");
        await page.GetByTestId("confirm-password").FillAsync("Staff-password-1");
        await page.GetByTestId("accept").ClickAsync();
        await page.CompleteTwoFactorAsync(email);
        await Expect(page.GetByTestId(role == "Admin" ? "admin-dashboard" : "support-dashboard")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Saves a full-page screenshot as <paramref name="name"/>.png (in CONTROLPANEL_SCREENSHOTS, else TestResults/screenshots,
    /// for a person to look at) and answers how many pixels the page scrolls sideways: 0 when it fits the viewport.
    /// </summary>
    public static async Task<int> ScreenshotAndMeasureOverflowAsync(this IPage page, string name)
    {
        await page.SettledAsync();
        await page.ScreenshotAsync(new() { Path = ScreenshotPath(name), FullPage = true });
        return await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
    }

    /// <summary>
    /// Waits until the page has settled: no transition or animation that ends is still running, every chart is drawn at
    /// the width it now has (charts redraw a moment after a resize), and the page's size held from one frame to the next.
    /// </summary>
    public static async Task SettledAsync(this IPage page) => await page.WaitForFunctionAsync("""
        () => {
            const moving = document.getAnimations().some(a => a.playState === "running" && a.effect?.getComputedTiming().iterations !== Infinity);
            const charts = [...document.querySelectorAll(".cp-apexchart")]
                .every(e => !e.querySelector("svg") || e.dataset.drawnWidth == Math.round(e.getBoundingClientRect().width));
            const root = document.documentElement;
            const size = `${root.scrollWidth}x${root.scrollHeight}`;
            const held = window.__settledSize === size;
            window.__settledSize = size;
            return !moving && charts && held;
        }
        """);

    /// <summary>Where a screenshot named <paramref name="name"/> goes: CONTROLPANEL_SCREENSHOTS, else TestResults/screenshots.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Environment.GetEnvironmentVariable("CONTROLPANEL_SCREENSHOTS") ?? Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
