using ControlPanel.Tests;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Accounts;

/// <summary>
/// What a person does to their own sign-in on the account page: change its address (confirmed from the new mailbox), or
/// delete it (refused to an account's only owner).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OwnSignInTests(BrowserFixture browser)
{
    private const string OldEmail = "mover@acme.test";
    private const string NewEmail = "moved@acme.test";
    private const string Password = "Owner-password-1";

    [Fact]
    public async Task An_owner_changes_their_address_by_a_link_to_the_new_one_and_signs_in_with_it()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        var settings = new Dictionary<string, string>(smtp.AppSettings(AppProcess.BaseAddressPlaceholder)) { ["AccountSecurity:RequireConfirmedEmail"] = "false" };
        await using var app = await AppHost.StartAsync(settings: settings);
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync(OldEmail, "Movers Ltd", Password);

        await page.GotoAsync("Account/Manage");
        await page.GetByTestId("new-email").FillAsync(NewEmail);
        await page.GetByTestId("email-password").FillAsync("Wrong-password-9");
        await page.GetByTestId("change-email").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("not your password");
        await page.GetByTestId("email-password").FillAsync(Password);
        await page.GetByTestId("change-email").ClickAsync();
        await Expect(page.GetByTestId("email-change-sent")).ToContainTextAsync(NewEmail);
        var problems = new List<string>();
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
            var overflow = await page.ScreenshotAndMeasureOverflowAsync($"manage-email-change-{width}");
            if (overflow > 0) problems.Add($"account page at {width}px scrolls sideways by {overflow}px");
        }
        Assert.Empty(problems);

        var mail = await smtp.WaitForAsync(NewEmail, m => m.Subject == "Confirm your new ControlPanel address");
        await page.GotoAsync(TestSmtpServer.LinkIn(mail, "Account/ConfirmEmailChange").AbsoluteUri);
        await Expect(page.GetByTestId("email-changed")).ToBeVisibleAsync();
        await smtp.WaitForAsync(OldEmail, m => m.Subject == "Your ControlPanel address was changed");

        // Signed out everywhere: this browser too. The old address no longer signs in; the new one does.
        await page.GotoAsync("./");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await page.SignInAsync(OldEmail, Password);
        await Expect(page.GetByTestId("form-error")).ToBeVisibleAsync();
        await page.SignInAsync(NewEmail, Password);
        await Expect(page.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_accounts_only_owner_cannot_delete_their_sign_in_and_is_told_to_delete_the_account()
    {
        await using var app = await AppHost.StartAsync();
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync(OldEmail, "Movers Ltd", Password);

        await page.GotoAsync("Account/Manage");
        await page.GetByTestId("delete-self-password").FillAsync(Password);
        await page.GetByTestId("delete-self").ClickAsync();

        await Expect(page.GetByTestId("delete-self-section").GetByTestId("form-error")).ToContainTextAsync("delete the account instead");
        await page.GotoAsync("./");
        await Expect(page.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
    }
}
