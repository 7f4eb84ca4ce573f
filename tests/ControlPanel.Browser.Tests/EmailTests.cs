using System.Text.RegularExpressions;
using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests;

/// <summary>Mail flows against the real app and a real SMTP server on loopback.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmailTests(BrowserFixture browser)
{
    private const string OwnerEmail = "olivia@acme.test";
    private const string OldPassword = "Owner-password-1";
    private const string NewPassword = "Owner-new-password-2";

    private static async Task<AppHost> StartWithSmtpAsync(TestSmtpServer smtp) =>
        await AppHost.StartAsync(settings: new Dictionary<string, string>(smtp.AppSettings(AppProcess.BaseAddressPlaceholder)));

    [Fact]
    public async Task Forgot_password_mails_a_link_that_sets_a_new_password_and_signs_out_every_other_session()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        await using var app = await StartWithSmtpAsync(smtp);
        var oldSession = await browser.NewPageAsync(app);
        await oldSession.RegisterOwnerAsync(OwnerEmail, "Acme Ltd", OldPassword);

        var page = await browser.NewPageAsync(app);
        await page.GotoAsync("Account/Login");
        await page.GetByTestId("forgot-password").ClickAsync();
        await page.GetByTestId("email").FillAsync(OwnerEmail);
        await page.GetByTestId("send-reset").ClickAsync();
        await Expect(page.GetByTestId("reset-requested")).ToContainTextAsync("If an account uses olivia@acme.test");

        var mail = await smtp.WaitForAsync(OwnerEmail, m => m.Subject == "Reset your ControlPanel password");
        var link = TestSmtpServer.LinkIn(mail, "Account/ResetPassword");
        Assert.Equal(app.BaseAddress.Authority, link.Authority);
        await page.GotoAsync(link.AbsoluteUri);
        await page.GetByTestId("password").FillAsync(NewPassword);
        await page.GetByTestId("confirm-password").FillAsync(NewPassword);
        await page.GetByTestId("reset").ClickAsync();
        await Expect(page.GetByTestId("password-reset")).ToBeVisibleAsync();

        // The old password no longer works; the new one does.
        await page.GetByTestId("email").FillAsync(OwnerEmail);
        await page.GetByTestId("password").FillAsync(OldPassword);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByText("Invalid email or password.")).ToBeVisibleAsync();
        await page.SignInAsync(OwnerEmail, NewPassword);
        await Expect(page.GetByTestId("owner-dashboard")).ToBeVisibleAsync();

        // The session from before the reset is gone.
        await oldSession.ReloadAsync();
        await Expect(oldSession).ToHaveURLAsync(new Regex("/Account/Login"));

        // The link worked once, and the owner was told the password changed.
        await page.GotoAsync(link.AbsoluteUri);
        await Expect(page.GetByTestId("reset-unusable")).ToBeVisibleAsync();
        await smtp.WaitForAsync(OwnerEmail, m => m.Subject == "Your ControlPanel password was changed");
    }

    [Fact]
    public async Task A_staff_invitation_is_mailed_and_its_link_accepted()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        await using var app = await StartWithSmtpAsync(smtp);
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        await admin.GotoAsync("staff");
        await admin.WaitForCircuitAsync();
        await admin.GetByTestId("invite-email").FillAsync("sam@controlpanel.test");
        await admin.GetByTestId("invite-name").FillAsync("Sam Support");
        await admin.GetByTestId("invite").ClickAsync();
        await Expect(admin.GetByTestId("invitation-mailed")).ToContainTextAsync("sam@controlpanel.test");

        var mail = await smtp.WaitForAsync("sam@controlpanel.test");
        Assert.Contains("It works once, until", mail.TextBody);
        var invitee = await browser.NewPageAsync(app);
        await invitee.GotoAsync(TestSmtpServer.LinkIn(mail, "Account/AcceptInvitation").AbsoluteUri);
        await invitee.GetByTestId("password").FillAsync("Support-password-1");
        await invitee.GetByTestId("confirm-password").FillAsync("Support-password-1");
        await invitee.GetByTestId("accept").ClickAsync();
        await Expect(invitee.GetByTestId("user-name")).ToHaveTextAsync("Sam Support");
    }
}
