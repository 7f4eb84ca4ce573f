using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Accounts;

/// <summary>An Admin offboards a staff member on the Staff page: their open tabs stop working within seconds and they cannot sign in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OffboardingTests(BrowserFixture browser)
{
    private const string Email = "leaver@controlpanel.test";
    private const string Password = "Leaver-password-1";

    [Fact]
    public async Task Admin_disables_a_support_user_whose_open_tab_is_signed_out_at_once()
    {
        await using var app = await AppHost.StartAsync();
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        var link = await IdentityTests.InviteStaffAsync(admin, Email, "Lee Leaver", "Support");

        var leaver = await browser.NewPageAsync(app);
        await IdentityTests.AcceptInvitationAsync(leaver, link, Password);
        await leaver.CompleteTwoFactorAsync(Email);
        await Expect(leaver.GetByTestId("support-dashboard")).ToBeVisibleAsync();
        await leaver.WaitForCircuitAsync();

        await admin.GotoAsync("staff");
        await admin.WaitForCircuitAsync();
        var row = IdentityTests.Row(admin, "staff-grid", Email);
        await row.GetByRole(AriaRole.Button, new() { Name = $"Disable {Email}" }).ClickAsync();
        await Expect(admin.GetByText("signed out everywhere at once")).ToBeVisibleAsync();
        await admin.GetByTestId("confirm").ClickAsync();
        await Expect(row.GetByTestId("disabled")).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Enable {Email}" })).ToBeVisibleAsync();

        // The leaver's open tab: its circuit hears of it through the change feed, not at the five-minute check.
        await Expect(leaver.GetByTestId("support-dashboard")).ToHaveCountAsync(0, new() { Timeout = 5000 });

        // And a new sign-in is refused.
        var again = await browser.NewPageAsync(app);
        await again.SignInAsync(Email, Password);
        await Expect(again.GetByTestId("support-dashboard")).ToHaveCountAsync(0);

        var problems = new List<string>();
        foreach (var width in new[] { 1366, 390 })
        {
            await admin.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
            await admin.GotoAsync("staff");
            await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var overflow = await admin.ScreenshotAndMeasureOverflowAsync($"staff-offboarding-{width}");
            if (overflow > 0) problems.Add($"staff at {width}px scrolls sideways by {overflow}px");
        }
        Assert.Empty(problems);
    }
}
