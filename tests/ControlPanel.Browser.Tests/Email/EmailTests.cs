using System.Text.RegularExpressions;
using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Email;

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
        // The sign-in page has an email field too, and enhanced navigation changes the address before the page: fill the
        // new page's field once its own button is there.
        await page.WaitForURLAsync(new Regex("/Account/ForgotPassword$"));
        await Expect(page.GetByTestId("send-reset")).ToBeVisibleAsync();
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

    [Fact]
    public async Task With_SMTP_a_new_owner_confirms_their_address_before_creating_keys()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        await using var app = await StartWithSmtpAsync(smtp);
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync(OwnerEmail, "Acme Ltd", OldPassword);
        var first = await smtp.WaitForAsync(OwnerEmail, m => m.Subject == "Confirm your email address for ControlPanel");

        // Not confirmed yet: creating an application (and its keys) is refused with the reason.
        await page.GotoAsync("applications");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("new-application").ClickAsync();
        await page.GetByTestId("application-name").FillAsync("Storefront");
        await page.GetByTestId("create-application").ClickAsync();
        await Expect(page.GetByText("Confirm your email address before creating keys").First).ToBeVisibleAsync();

        // The account page sends the link again.
        await page.GotoAsync("Account/Manage");
        await page.GetByTestId("resend-confirmation").ClickAsync();
        await Expect(page.GetByTestId("confirmation-sent")).ToBeVisibleAsync();
        await smtp.WaitForAsync(OwnerEmail, m => m.Subject == first.Subject && m.MessageId != first.MessageId);

        await page.GotoAsync(TestSmtpServer.LinkIn(first, "Account/ConfirmEmail").AbsoluteUri);
        await Expect(page.GetByTestId("email-confirmed")).ToBeVisibleAsync();
        await page.GotoAsync("Account/Manage");
        await Expect(page.GetByTestId("email-confirmation")).ToHaveCountAsync(0);
        await page.CreateApplicationAsync("Storefront");
        await Expect(page.GetByTestId("issued-application-key")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_owner_chooses_notices_and_a_team_address_on_the_account_page_and_key_notices_follow_it()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        var settings = new Dictionary<string, string>(smtp.AppSettings(AppProcess.BaseAddressPlaceholder)) { ["AccountSecurity:RequireConfirmedEmail"] = "false" };
        await using var app = await AppHost.StartAsync(settings: settings);
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync(OwnerEmail, "Acme Ltd", OldPassword);

        await page.GotoAsync("Account/Manage");
        await Expect(page.GetByTestId("notice-keys")).ToBeCheckedAsync();
        await page.GetByTestId("notice-keys").UncheckAsync();
        await page.GetByTestId("notice-recipients").FillAsync("not an address");
        await page.GetByTestId("save-notices").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("is not an email address");
        await page.GetByTestId("notice-recipients").FillAsync("team@acme.test");
        await page.GetByTestId("save-notices").ClickAsync();
        await Expect(page.GetByTestId("notices-saved")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByTestId("notice-keys")).Not.ToBeCheckedAsync();
        await Expect(page.GetByTestId("notice-quota")).ToBeCheckedAsync();
        await Expect(page.GetByTestId("notice-recipients")).ToHaveValueAsync("team@acme.test");

        // The team address gets nothing until it confirms with the link mailed to it once.
        await Expect(page.GetByTestId("unconfirmed-recipients")).ToContainTextAsync("team@acme.test");
        var invitation = await smtp.WaitForAsync("team@acme.test", m => m.Subject == "Confirm that you want ControlPanel notices");
        Assert.DoesNotContain("Acme Ltd", invitation.TextBody);
        var team = await browser.NewPageAsync(app);
        await team.GotoAsync(TestSmtpServer.LinkIn(invitation, "Account/ConfirmNotices").AbsoluteUri);
        var problems = new List<string>();
        foreach (var width in new[] { 1366, 390 })
        {
            await team.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
            var overflow = await team.ScreenshotAndMeasureOverflowAsync($"confirm-notices-{width}");
            if (overflow > 0) problems.Add($"confirm notices at {width}px scrolls sideways by {overflow}px");
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
            overflow = await page.ScreenshotAndMeasureOverflowAsync($"manage-unconfirmed-recipients-{width}");
            if (overflow > 0) problems.Add($"account page at {width}px scrolls sideways by {overflow}px");
        }
        Assert.Empty(problems);
        await team.GetByTestId("confirm-notices").ClickAsync();
        await Expect(team.GetByTestId("notices-confirmed")).ToContainTextAsync("team@acme.test");
        await page.ReloadAsync();
        await Expect(page.GetByTestId("unconfirmed-recipients")).ToHaveCountAsync(0);

        await page.CreateApplicationAsync("Storefront");
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Keys" }).ClickAsync();
        await page.GetByTestId("rotate").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await page.GetByTestId("dismiss-secrets").ClickAsync();

        var notice = await smtp.WaitForAsync("team@acme.test", m => m.Subject == "New keys for an application");
        Assert.Contains("Olivia Owner rotated the keys of Storefront", notice.TextBody);
        // The owner turned key notices off: nothing for them (the team's mail was sent in the same pass).
        Assert.DoesNotContain(smtp.Messages, m => m.To.Mailboxes.Any(b => b.Address == OwnerEmail) && m.Subject!.StartsWith("New keys", StringComparison.Ordinal));
    }
}
