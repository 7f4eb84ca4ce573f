using System.Text.RegularExpressions;
using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Accounts;

/// <summary>First-Admin setup, staff invitations, password change, two-factor sign-in and staff-only pages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IdentityTests(BrowserFixture browser)
{
    private const string OwnerEmail = "olivia@acme.test";
    private const string OwnerPassword = "Owner-password-1";

    [Fact]
    public async Task Setup_token_from_the_console_creates_the_first_admin_once()
    {
        await using var app = await AppHost.StartAsync(withConfiguredAdmin: false);
        var token = await ReadSetupTokenAsync(app);
        var page = await browser.NewPageAsync(app);

        await page.GotoAsync("Account/Login");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Create the first Admin" })).ToBeVisibleAsync();

        await page.GotoAsync("setup");
        await Expect(page.GetByTestId("password-rules")).ToContainTextAsync("At least 10 characters");
        await page.GetByTestId("create-admin").ClickAsync();
        await Expect(page.GetByText("Enter the Admin's email address.")).ToBeVisibleAsync();
        await Expect(page.GetByText("The Email field")).ToHaveCountAsync(0);
        var wrongToken = token == "0123456789abcdef0123456789abcdef" ? "fedcba9876543210fedcba9876543210" : "0123456789abcdef0123456789abcdef";
        await FillSetupAsync(page, wrongToken, "first.admin@controlpanel.test", "First-admin-password-1");
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("The setup token is not valid");
        await Expect(page.GetByTestId("setup-token")).ToBeVisibleAsync();

        await FillSetupAsync(page, token, "first.admin@controlpanel.test", "First-admin-password-1");
        await page.CompleteTwoFactorAsync("first.admin@controlpanel.test");
        await Expect(page.GetByTestId("admin-dashboard")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Administrator");

        await page.GotoAsync("setup");
        await Expect(page.GetByTestId("setup-closed")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("setup-token")).ToHaveCountAsync(0);

        // Nobody else can use the page either, even with the token, and the new Admin signs in normally.
        var other = await browser.NewPageAsync(app);
        await other.GotoAsync("setup");
        await Expect(other.GetByTestId("setup-closed")).ToBeVisibleAsync();
        await other.SignInAsync("first.admin@controlpanel.test", "First-admin-password-1");
        await other.CompleteTwoFactorAsync("first.admin@controlpanel.test");
        await Expect(other.GetByTestId("admin-dashboard")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_invites_a_support_user_whose_link_sets_a_password_once()
    {
        await using var app = await AppHost.StartAsync();
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();

        var link = await InviteStaffAsync(admin, "sam@controlpanel.test", "Sam Support", "Support");
        // Pending until accepted. Columns: Email, Name, Role, Link expires, Actions.
        var cells = Row(admin, "pending-invitations", "sam@controlpanel.test").Locator("td");
        await Expect(cells.Nth(1)).ToContainTextAsync("Sam Support");
        await Expect(cells.Nth(2)).ToContainTextAsync("Support");
        await Expect(cells.Nth(3)).ToContainTextAsync(DateTime.UtcNow.AddHours(72).ToString("yyyy-MM-dd"));
        await Expect(admin.GetByTestId("invitation-expires")).ToContainTextAsync(DateTime.UtcNow.AddHours(72).ToString("yyyy-MM-dd"));
        await Expect(admin.GetByTestId("invitation").GetByRole(AriaRole.Button, new() { Name = "Copy invitation link" })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("staff-grid")).Not.ToContainTextAsync("sam@controlpanel.test");

        var invitee = await browser.NewPageAsync(app);
        await invitee.GotoAsync(link);
        await Expect(invitee.GetByTestId("invitation-for")).ToContainTextAsync("sam@controlpanel.test");
        await Expect(invitee.GetByTestId("password-rules")).ToHaveTextAsync("At least 10 characters, with an upper-case letter, a lower-case letter and a digit.");
        await AcceptInvitationAsync(invitee, link, "Support-password-1");
        await invitee.CompleteTwoFactorAsync("sam@controlpanel.test");
        await Expect(invitee.GetByTestId("support-dashboard")).ToBeVisibleAsync();
        await Expect(invitee.GetByTestId("user-name")).ToHaveTextAsync("Sam Support");

        // The same link in another browser says at once that it was used, before anyone types a password.
        var second = await browser.NewPageAsync(app);
        await second.GotoAsync(link);
        await Expect(second.GetByTestId("invitation-unusable")).ToContainTextAsync("already used");
        await Expect(second.GetByTestId("password")).ToHaveCountAsync(0);
        await second.SignInAsync("sam@controlpanel.test", "Support-password-1");
        await second.CompleteTwoFactorAsync("sam@controlpanel.test");
        await Expect(second.GetByTestId("support-dashboard")).ToBeVisibleAsync();

        await admin.GotoAsync("staff");
        await Expect(Row(admin, "staff-grid", "sam@controlpanel.test").Locator("td").Nth(2)).ToContainTextAsync("Support");
        await Expect(admin.GetByTestId("pending-invitations")).ToContainTextAsync("No pending invitations.");
    }

    [Fact]
    public async Task Admin_resends_an_invitation_which_ends_the_old_link_and_revokes_it_which_ends_the_new_one()
    {
        await using var app = await AppHost.StartAsync();
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        var first = await InviteStaffAsync(admin, "rita@controlpanel.test", "Rita Support", "Support");

        await Row(admin, "pending-invitations", "rita@controlpanel.test").GetByRole(AriaRole.Button, new() { Name = "Resend the invitation of rita@controlpanel.test" }).ClickAsync();
        await admin.GetByTestId("confirm").ClickAsync();
        var link = admin.GetByTestId("invitation-link");
        await Expect(link).Not.ToHaveTextAsync(first);
        var second = (await link.InnerTextAsync()).Trim();

        var invitee = await browser.NewPageAsync(app);
        await invitee.GotoAsync(first);
        await Expect(invitee.GetByTestId("invitation-unusable")).ToContainTextAsync("replaced by a newer one");
        await Expect(invitee.GetByTestId("password")).ToHaveCountAsync(0);
        await invitee.GotoAsync(second);
        await Expect(invitee.GetByTestId("invitation-for")).ToContainTextAsync("rita@controlpanel.test");

        await Row(admin, "pending-invitations", "rita@controlpanel.test").GetByRole(AriaRole.Button, new() { Name = "Revoke the invitation of rita@controlpanel.test" }).ClickAsync();
        await admin.GetByTestId("confirm").ClickAsync();
        await Expect(admin.GetByTestId("pending-invitations")).ToContainTextAsync("No pending invitations.");

        await invitee.GotoAsync(second);
        await Expect(invitee.GetByTestId("invitation-unusable")).ToContainTextAsync("not valid");
        await Expect(invitee.GetByTestId("password")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_configured_minimum_password_length_is_stated_and_enforced()
    {
        await using var app = await AppHost.StartAsync(settings: new Dictionary<string, string> { ["AccountSecurity:MinimumPasswordLength"] = "14" });
        var page = await browser.NewPageAsync(app);
        await page.GotoAsync("Account/Register");
        await Expect(page.GetByTestId("password-rules")).ToHaveTextAsync("At least 14 characters, with an upper-case letter, a lower-case letter and a digit.");

        await page.GetByTestId("account-name").FillAsync("Acme Ltd");
        await page.GetByTestId("display-name").FillAsync("Olivia Owner");
        await page.GetByTestId("email").FillAsync(OwnerEmail);
        await page.GetByTestId("password").FillAsync("Twelve-char1");
        await page.GetByTestId("confirm-password").FillAsync("Twelve-char1");
        await page.GetByTestId("register").ClickAsync();
        await Expect(page.GetByText("Use at least 14 characters.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("owner-dashboard")).ToHaveCountAsync(0);

        await page.RegisterOwnerAsync(OwnerEmail, "Acme Ltd", "Fourteen-char1");
    }

    [Fact]
    public async Task Register_says_what_is_missing_in_words_at_each_field()
    {
        await using var app = await AppHost.StartAsync();
        var page = await browser.NewPageAsync(app);
        await page.GotoAsync("Account/Register");
        await page.GetByTestId("register").ClickAsync();

        await Expect(page.GetByText("Enter your organisation's name.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Enter your name.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Enter your email address.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Choose a password.")).ToBeVisibleAsync();
        await Expect(page.GetByText("field is required")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The pages FitTests does not reach (signed out, invitation links, two-factor set-up, the staff page with a link
    /// on screen) at a laptop and a phone width, light and dark: no sideways scrolling; screenshots for a person to look at.
    /// </summary>
    [Fact]
    public async Task Identity_pages_fit_a_laptop_and_a_phone_in_light_and_dark()
    {
        await using var app = await AppHost.StartAsync();
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        var used = await InviteStaffAsync(admin, "used.invitation.with.a.long.address@controlpanel-example.test", "Ulla Used", "Support");
        await AcceptInvitationAsync(await browser.NewPageAsync(app), used, "Support-password-1");
        var open = await InviteStaffAsync(admin, "pending.invitation.with.a.long.address@controlpanel-example.test", "Pia Pending", "Admin");
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync(OwnerEmail, "Acme Ltd", OwnerPassword);
        var visitor = await browser.NewPageAsync(app);

        var problems = new List<string>();
        foreach (var theme in new[] { "light", "dark" })
            foreach (var width in new[] { 1366, 390 })
            {
                async Task CheckAsync(IPage page, string name, Func<Task> open)
                {
                    await page.Context.AddCookiesAsync([new Cookie { Name = "cp-theme", Value = theme, Url = app.BaseAddress.ToString() }]);
                    await page.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
                    await open();
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    var overflow = await page.ScreenshotAndMeasureOverflowAsync($"identity-{name}-{theme}-{width}");
                    if (overflow > 0) problems.Add($"{name} ({theme}) at {width}px scrolls sideways by {overflow}px");
                }

                await CheckAsync(visitor, "login", () => visitor.GotoAsync("Account/Login"));
                await CheckAsync(visitor, "login-error", () => visitor.SignInAsync("nobody@controlpanel.test", "Wrong-password-1"));
                await CheckAsync(visitor, "register-errors", async () =>
                {
                    await visitor.GotoAsync("Account/Register");
                    await visitor.GetByTestId("email").FillAsync("not-an-email");
                    await visitor.GetByTestId("password").FillAsync("short");
                    await visitor.GetByTestId("register").ClickAsync();
                });
                await CheckAsync(visitor, "setup-closed", () => visitor.GotoAsync("setup"));
                await CheckAsync(visitor, "lockout", () => visitor.GotoAsync("Account/Lockout"));
                await CheckAsync(visitor, "forgot-password", () => visitor.GotoAsync("Account/ForgotPassword"));
                await CheckAsync(visitor, "reset-unusable", () => visitor.GotoAsync("Account/ResetPassword?userId=nobody&token=made-up"));
                await CheckAsync(visitor, "accept", () => visitor.GotoAsync(open));
                await CheckAsync(visitor, "accept-used", () => visitor.GotoAsync(used));
                await CheckAsync(owner, "manage", () => owner.GotoAsync("Account/Manage"));
                await CheckAsync(owner, "two-factor", () => owner.GotoAsync("Account/Manage/TwoFactor"));
                await CheckAsync(owner, "not-found", () => owner.GotoAsync("no/such/page"));
                await CheckAsync(admin, "staff", async () =>
                {
                    await InviteStaffAsync(admin, $"new.{theme}.{width}@controlpanel-example.test", "Nina New", "Support");
                });
            }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// A crafted sign-in link cannot send the user off the app: "http:\/evil.example/" once passed the check and the
    /// browser followed it to http://evil.example/. A real app-local return address still works.
    /// </summary>
    [Fact]
    public async Task Sign_in_never_follows_a_return_address_off_the_app()
    {
        await using var app = await AppHost.StartAsync();
        var registering = await browser.NewPageAsync(app);
        await registering.RegisterOwnerAsync(OwnerEmail, "Acme");

        var page = await browser.NewPageAsync(app);
        await page.GotoAsync("Account/Login?ReturnUrl=http:%5C/evil.example/");
        await page.GetByTestId("email").FillAsync(OwnerEmail);
        await page.GetByTestId("password").FillAsync(OwnerPassword);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("owner-dashboard")).ToBeVisibleAsync();
        Assert.StartsWith(app.BaseAddress.ToString(), page.Url);

        // A page that needs sign-in sends the user back to it afterwards.
        var returning = await browser.NewPageAsync(app);
        await returning.GotoAsync("applications");
        await Expect(returning).ToHaveURLAsync(new Regex("/Account/Login\\?returnUrl=%2Fapplications$", RegexOptions.IgnoreCase));
        await returning.GetByTestId("email").FillAsync(OwnerEmail);
        await returning.GetByTestId("password").FillAsync(OwnerPassword);
        await returning.GetByTestId("sign-in").ClickAsync();
        await Expect(returning.GetByTestId("new-application").First).ToBeVisibleAsync();
        Assert.Equal(new Uri(app.BaseAddress, "applications").ToString(), returning.Url);
    }

    internal static ILocator Row(IPage page, string table, string email) =>
        page.GetByTestId(table).Locator("tbody tr", new() { HasText = email });

    [Fact]
    public async Task Owner_changes_their_password_and_only_the_new_one_signs_in()
    {
        await using var app = await AppHost.StartAsync();
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync(OwnerEmail, "Acme Ltd", OwnerPassword);

        await page.GotoAsync("Account/Manage");
        await ChangePasswordAsync(page, "Not-my-password-1", "Changed-password-2");
        await Expect(page.GetByTestId("form-error")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("password-changed")).ToHaveCountAsync(0);

        await ChangePasswordAsync(page, OwnerPassword, "Changed-password-2");
        await Expect(page.GetByTestId("password-changed")).ToBeVisibleAsync();
        // Still signed in after the change.
        await page.GotoAsync("");
        await Expect(page.GetByTestId("owner-dashboard")).ToHaveTextAsync("Acme Ltd");

        await page.SignOutAsync();
        await page.SignInAsync(OwnerEmail, OwnerPassword);
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("Invalid email or password");
        await page.SignInAsync(OwnerEmail, "Changed-password-2");
        await Expect(page.GetByTestId("owner-dashboard")).ToHaveTextAsync("Acme Ltd");
    }

    [Fact]
    public async Task Owner_turns_on_an_authenticator_signs_in_with_each_code_once_and_changes_it_only_with_fresh_proof()
    {
        await using var app = await AppHost.StartAsync();
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync(OwnerEmail, "Acme Ltd", OwnerPassword);

        await page.GotoAsync("Account/Manage");
        await Expect(page.GetByTestId("2fa-status")).ToHaveTextAsync("Two-factor authentication is off.");
        await page.GetByTestId("manage-2fa").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/TwoFactor$"));

        var key = (await page.GetByTestId("authenticator-key").InnerTextAsync()).Replace(" ", "");
        Assert.Matches(new Regex("^[a-z2-7]+$"), key);
        var authenticator = Authenticator.Of(page, OwnerEmail);
        var setUpCode = authenticator.CodeForSetUp(key);
        await page.GetByTestId("code").FillAsync(setUpCode);
        await page.GetByTestId("enable-2fa").ClickAsync();
        await Expect(page.GetByTestId("2fa-on")).ToBeVisibleAsync();
        var recoveryCodes = (await page.GetByTestId("recovery-codes").InnerTextAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(10, recoveryCodes.Length);
        Assert.Equal(10, recoveryCodes.Distinct().Count());

        await page.GotoAsync("Account/Manage");
        await Expect(page.GetByTestId("2fa-status")).ToHaveTextAsync("Two-factor authentication is on.");
        await page.SignOutAsync();

        await page.SignInAsync(OwnerEmail, OwnerPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/Account/LoginWith2fa"));
        await page.GetByTestId("code").FillAsync(CodeNoWindowAccepts(key));
        await page.GetByTestId("verify").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("Invalid authenticator code");
        await Expect(page.GetByTestId("owner-dashboard")).ToHaveCountAsync(0);

        // The code that turned two-factor on was right, but it was used: it does not work a second time.
        await page.GetByTestId("code").FillAsync(setUpCode);
        await page.GetByTestId("verify").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("works once");
        await Expect(page.GetByTestId("owner-dashboard")).ToHaveCountAsync(0);

        var signInCode = await authenticator.NextCodeAsync();
        await page.GetByTestId("code").FillAsync(signInCode);
        await page.GetByTestId("verify").ClickAsync();
        await Expect(page.GetByTestId("owner-dashboard")).ToHaveTextAsync("Acme Ltd");

        // A session left open is not enough to weaken the sign-in: new recovery codes and turning it off need fresh proof.
        await page.GotoAsync("Account/Manage/TwoFactor");
        await page.GetByTestId("new-codes-proof").FillAsync("Not-the-password-9");
        await page.GetByTestId("new-codes").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("not your password");
        await Expect(page.GetByTestId("recovery-codes")).ToHaveCountAsync(0);
        await page.GetByTestId("new-codes-proof").FillAsync(OwnerPassword);
        await page.GetByTestId("new-codes").ClickAsync();
        var newCodes = (await page.GetByTestId("recovery-codes").InnerTextAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(10, newCodes.Length);
        Assert.Empty(newCodes.Intersect(recoveryCodes));

        await page.GetByTestId("disable-2fa-ask").ClickAsync();
        await page.GetByTestId("disable-2fa-proof").FillAsync(signInCode);
        await page.GetByTestId("disable-2fa").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("Codes work once");
        await Expect(page.GetByTestId("2fa-on")).ToBeVisibleAsync();
        await page.GetByTestId("disable-2fa-proof").FillAsync(await authenticator.NextCodeAsync());
        await page.GetByTestId("disable-2fa").ClickAsync();
        await Expect(page.GetByTestId("authenticator-key")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("2fa-on")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Support_sets_up_two_factor_first_and_then_support_and_owner_users_get_the_not_found_page_at_staff()
    {
        await using var app = await AppHost.StartAsync();
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        var link = await InviteStaffAsync(admin, "sam@controlpanel.test", "Sam Support", "Support");

        var support = await browser.NewPageAsync(app);
        await AcceptInvitationAsync(support, link, "Support-password-1");
        // Staff must use two-factor: until it is on, every page leads to setting it up, and no endpoint knows them.
        await Expect(support).ToHaveURLAsync(new Regex("/Account/Manage/TwoFactor$"));
        await support.GotoAsync("usage");
        await Expect(support).ToHaveURLAsync(new Regex("/Account/Manage/TwoFactor$"));
        Assert.Equal(401, (await support.APIRequest.GetAsync("api/v1/usage")).Status);
        await support.CompleteTwoFactorAsync("sam@controlpanel.test");
        await Expect(support.GetByTestId("support-dashboard")).ToBeVisibleAsync();
        Assert.Equal(200, (await support.APIRequest.GetAsync("api/v1/usage")).Status);
        await support.GotoAsync("Account/Manage/TwoFactor");
        await Expect(support.GetByTestId("2fa-kept")).ToBeVisibleAsync();
        await Expect(support.GetByTestId("disable-2fa")).ToHaveCountAsync(0);
        await support.GotoAsync("");
        await Expect(support.GetByRole(AriaRole.Link, new() { Name = "Staff" })).ToHaveCountAsync(0);
        await ExpectNotFoundAtStaffAsync(support);

        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync(OwnerEmail, "Acme Ltd", OwnerPassword);
        await ExpectNotFoundAtStaffAsync(owner);
    }

    /// <summary>
    /// /staff shows the not-found page both when loaded from the server (the authorization middleware
    /// redirects) and when reached inside a live circuit (the router's NotAuthorized content).
    /// </summary>
    private static async Task ExpectNotFoundAtStaffAsync(IPage page)
    {
        await page.GotoAsync("staff");
        await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("staff-grid")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("invite")).ToHaveCountAsync(0);

        await page.GotoAsync("");
        await page.WaitForCircuitAsync();
        await page.EvaluateAsync("Blazor.navigateTo('staff')");
        await Expect(page).ToHaveURLAsync(new Regex("/staff$"));
        await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("staff-grid")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("invite")).ToHaveCountAsync(0);
    }

    /// <summary>The token the app printed to its console; the output is read asynchronously, so wait for the line.</summary>
    private static async Task<string> ReadSetupTokenAsync(AppHost app)
    {
        var line = new Regex(@"^\s*SETUP TOKEN: (?<token>[0-9a-f]{32})\s*$", RegexOptions.Multiline);
        Match match = Match.Empty;
        await Eventually.TrueAsync(() => Task.FromResult((match = line.Match(app.Output)).Success),
            () => $"the setup token in the app's output:\n{app.Output}", TimeSpan.FromSeconds(15));
        return match.Groups["token"].Value;
    }

    private static async Task FillSetupAsync(IPage page, string token, string email, string password)
    {
        await page.GetByTestId("setup-token").FillAsync(token);
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("create-admin").ClickAsync();
    }

    /// <summary>Invites a staff member on /staff and returns the invitation link shown to the Admin.</summary>
    internal static async Task<string> InviteStaffAsync(IPage admin, string email, string name, string role)
    {
        await admin.GotoAsync("staff");
        await admin.WaitForCircuitAsync();
        await admin.GetByTestId("invite-email").FillAsync(email);
        await admin.GetByTestId("invite-name").FillAsync(name);
        await admin.GetByTestId("invite-role").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = role, Exact = true }).ClickAsync();
        await Expect(admin.GetByTestId("invite-role")).ToContainTextAsync(role);
        await admin.GetByTestId("invite").ClickAsync();

        var link = admin.GetByTestId("invitation-link");
        await Expect(link).ToContainTextAsync("/Account/AcceptInvitation?");
        await Expect(admin.GetByTestId("pending-invitations")).ToContainTextAsync(email);
        return (await link.InnerTextAsync()).Trim();
    }

    internal static async Task AcceptInvitationAsync(IPage page, string link, string password)
    {
        await page.GotoAsync(link);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("confirm-password").FillAsync(password);
        await page.GetByTestId("accept").ClickAsync();
    }

    private static async Task ChangePasswordAsync(IPage page, string oldPassword, string newPassword)
    {
        await page.GetByTestId("old-password").FillAsync(oldPassword);
        await page.GetByTestId("new-password").FillAsync(newPassword);
        await page.GetByTestId("confirm-password").FillAsync(newPassword);
        await page.GetByTestId("change-password").ClickAsync();
    }

    /// <summary>A 6-digit code that matches none of the steps a server could accept around now (Identity allows a few steps of drift).</summary>
    private static string CodeNoWindowAccepts(string key)
    {
        var now = Totp.StepOf(DateTimeOffset.UtcNow);
        var secret = Totp.DecodeBase32(key);
        var nearby = Enumerable.Range(-5, 11).Select(offset => Totp.Code(secret, now + offset)).ToHashSet();
        return Enumerable.Range(0, 1_000_000).Select(n => n.ToString("D6")).First(code => !nearby.Contains(code));
    }
}
