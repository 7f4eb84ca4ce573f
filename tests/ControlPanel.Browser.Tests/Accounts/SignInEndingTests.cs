using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Accounts;

/// <summary>
/// Each browser's sign-in on its own (issue 23, finding 8): signing out in one tab ends that browser's other open tabs
/// within seconds, through the change feed; changing one's own password ends the other browsers' open tabs at once and
/// keeps the acting browser's.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInEndingTests(BrowserFixture browser)
{
    private const string Email = "tabs@acme.test";
    private const string Password = "Owner-password-1";

    /// <summary>The owner signed in twice: two tabs of one browser, and another browser; each with its circuit up.</summary>
    private async Task<(IPage First, IPage Second, IPage Elsewhere)> SignedInAsync(AppHost app)
    {
        var first = await browser.NewPageAsync(app);
        await first.RegisterOwnerAsync(Email, "Tabs Ltd", Password);
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync("./");
        await Expect(second.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
        await second.WaitForCircuitAsync();

        var elsewhere = await browser.NewPageAsync(app);
        await elsewhere.SignInAsync(Email, Password);
        await Expect(elsewhere.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
        await elsewhere.WaitForCircuitAsync();
        return (first, second, elsewhere);
    }

    [Fact]
    public async Task Signing_out_in_one_tab_ends_the_browsers_other_tabs_at_once_and_not_another_browser()
    {
        await using var app = await AppHost.StartAsync();
        var (first, second, elsewhere) = await SignedInAsync(app);

        await first.SignOutAsync();

        // The other tab's circuit hears of it through the change feed, not at the five-minute check.
        await Expect(second.GetByTestId("owner-dashboard")).ToHaveCountAsync(0, new() { Timeout = 5000 });
        // Another browser is a sign-in of its own: its open tab goes on, and so does its cookie.
        await elsewhere.GetByRole(AriaRole.Link, new() { Name = "Applications" }).First.ClickAsync();
        await Expect(elsewhere).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/applications"));
        await Expect(elsewhere.GetByTestId("new-application")).ToBeVisibleAsync();
        await elsewhere.GotoAsync("./");
        await Expect(elsewhere.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Changing_ones_own_password_ends_the_other_browsers_tabs_at_once_and_keeps_the_acting_browsers()
    {
        await using var app = await AppHost.StartAsync();
        var (first, second, elsewhere) = await SignedInAsync(app);

        await first.GotoAsync("Account/Manage");
        await first.GetByTestId("old-password").FillAsync(Password);
        await first.GetByTestId("new-password").FillAsync("Changed-password-2");
        await first.GetByTestId("confirm-password").FillAsync("Changed-password-2");
        await first.GetByTestId("change-password").ClickAsync();
        await Expect(first.GetByTestId("password-changed")).ToBeVisibleAsync();

        // The other browser's open tab ends within seconds (not at the five-minute check)...
        await Expect(elsewhere.GetByTestId("owner-dashboard")).ToHaveCountAsync(0, new() { Timeout = 5000 });
        // ...while the acting browser's other tab, told the same moment, goes on working in its circuit and after a reload.
        await second.GetByRole(AriaRole.Link, new() { Name = "Applications" }).First.ClickAsync();
        await Expect(second.GetByTestId("new-application")).ToBeVisibleAsync();
        await second.GotoAsync("./");
        await Expect(second.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
        await first.GotoAsync("./");
        await Expect(first.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
    }
}
