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
        await Expect(page.GetByTestId("admin-dashboard")).ToBeVisibleAsync();
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
        await Expect(page.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the page's Blazor circuit is up (the layout marks it), so clicks reach the server.</summary>
    public static async Task WaitForCircuitAsync(this IPage page) =>
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
}
