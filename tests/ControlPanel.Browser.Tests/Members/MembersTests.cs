using System.Net;
using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Members;

/// <summary>A team: an Owner invites a Developer by mail, the Developer works in the account, the Owner removes them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MembersTests(BrowserFixture browser)
{
    private const string DeveloperEmail = "dana@acme.test";
    private const string DeveloperPassword = "Developer-password-1";

    [Fact]
    public async Task An_owner_invites_a_developer_who_joins_works_cannot_manage_members_and_is_removed_with_their_session_and_token()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        var settings = new Dictionary<string, string>(smtp.AppSettings(AppProcess.BaseAddressPlaceholder)) { ["AccountSecurity:RequireConfirmedEmail"] = "false" };
        await using var app = await AppHost.StartAsync(settings: settings);
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");

        // The Owner invites from Members (in the navigation for Owners only).
        await owner.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        await owner.WaitForCircuitAsync();
        await owner.GetByTestId("invite-email").FillAsync(DeveloperEmail);
        await owner.GetByTestId("invite").ClickAsync();
        await Expect(owner.GetByTestId("invitation-link")).ToContainTextAsync("/Account/JoinAccount?token=");
        await Expect(owner.GetByTestId("pending-email")).ToHaveTextAsync(DeveloperEmail);
        // The emptied form after a successful invite shows no error, also once the pointer has moved on (issue 27, finding 5).
        await owner.GetByTestId("invite-card").ClickAsync(new() { Position = new() { X = 4, Y = 4 } });
        await owner.SettledAsync();
        await Expect(owner.GetByTestId("invite-card").Locator(".mud-input-error")).ToHaveCountAsync(0);

        // The invitation arrives by mail; its link makes the Developer's sign-in and opens the account.
        var mail = await smtp.WaitForAsync(DeveloperEmail);
        var developer = await browser.NewPageAsync(app);
        await developer.GotoAsync(TestSmtpServer.LinkIn(mail, "Account/JoinAccount").AbsoluteUri);
        await Expect(developer.GetByTestId("invitation-for")).ToContainTextAsync("Acme Ltd");
        await developer.GetByTestId("display-name").FillAsync("Dana Developer");
        await developer.GetByTestId("password").FillAsync(DeveloperPassword);
        await developer.GetByTestId("confirm-password").FillAsync(DeveloperPassword);
        await developer.GetByTestId("join").ClickAsync();
        await Expect(developer.GetByTestId("owner-dashboard")).ToHaveTextAsync("Acme Ltd");
        await Expect(developer.GetByTestId("current-role")).ToHaveTextAsync("Developer");
        // The link worked once.
        var spent = await browser.NewPageAsync(app);
        await spent.GotoAsync(TestSmtpServer.LinkIn(mail, "Account/JoinAccount").AbsoluteUri);
        await Expect(spent.GetByTestId("invitation-unusable")).ToBeVisibleAsync();

        // A Developer works on applications and makes access tokens...
        await developer.CreateApplicationAsync("Storefront");
        await developer.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(developer.GetByTestId("application-title")).ToHaveTextAsync("Storefront");
        await developer.GetByRole(AriaRole.Link, new() { Name = "Access tokens" }).ClickAsync();
        await developer.WaitForCircuitAsync();
        await developer.GetByTestId("token-name").FillAsync("ci");
        await developer.GetByTestId("create-token").ClickAsync();
        var token = await developer.GetByTestId("issued-access-token").InnerTextAsync();
        await developer.GetByTestId("dismiss-secrets").ClickAsync();
        Assert.Equal(HttpStatusCode.OK, await ListApplicationsAsync(app, token));

        // ...but does not manage members: no link, and the page does not exist for them.
        await Expect(developer.GetByRole(AriaRole.Link, new() { Name = "Members" })).ToHaveCountAsync(0);
        await developer.GotoAsync("members");
        await Expect(developer.GetByTestId("not-found")).ToBeVisibleAsync();
        await developer.GotoAsync("applications");
        await developer.WaitForCircuitAsync();
        await Expect(developer.GetByText("Storefront")).ToBeVisibleAsync();

        // The Owner removes them: the Developer's open tab leaves the account at once, and their token stops.
        await owner.ReloadAsync();
        await owner.WaitForCircuitAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = $"Remove {DeveloperEmail}" }).ClickAsync();
        await owner.GetByTestId("confirm").ClickAsync();
        await Expect(owner.GetByTestId("member-email")).ToHaveCountAsync(1);
        await Expect(developer.GetByTestId("no-account")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await ListApplicationsAsync(app, token));

        foreach (var width in new[] { 1366, 390 })
        {
            // Loaded at the width, as a phone would: the drawer docks or folds on the first paint.
            await owner.SetViewportSizeAsync(width, 900);
            await owner.ReloadAsync();
            await owner.WaitForCircuitAsync();
            await Expect(owner.GetByTestId("members")).ToBeVisibleAsync();
            Assert.Equal(0, await owner.ScreenshotAndMeasureOverflowAsync($"members-owner-{width}"));
        }
    }

    [Fact]
    public async Task A_person_in_two_accounts_joins_signed_in_switches_and_links_and_Back_keep_the_account()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        var settings = new Dictionary<string, string>(smtp.AppSettings(AppProcess.BaseAddressPlaceholder)) { ["AccountSecurity:RequireConfirmedEmail"] = "false" };
        await using var app = await AppHost.StartAsync(settings: settings);
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var gina = await browser.NewPageAsync(app);
        await gina.RegisterOwnerAsync("gina@globex.test", "Globex");
        await gina.CreateApplicationAsync("Globex app");
        await gina.GetByTestId("dismiss-secrets").ClickAsync();

        await owner.GotoAsync("members");
        await owner.WaitForCircuitAsync();
        await owner.GetByTestId("invite-email").FillAsync("gina@globex.test");
        await owner.GetByTestId("invite-role").ClickAsync();
        await owner.GetByRole(AriaRole.Option, new() { Name = "Viewer", Exact = true }).ClickAsync();
        await Expect(owner.GetByTestId("invite-role")).ToContainTextAsync("Viewer");
        await owner.GetByTestId("invite").ClickAsync();
        var mail = await smtp.WaitForAsync("gina@globex.test");

        // Her address signs in already: she accepts signed in, and lands in Acme.
        await gina.GotoAsync(TestSmtpServer.LinkIn(mail, "Account/JoinAccount").AbsoluteUri);
        await gina.GetByTestId("join").ClickAsync();
        await Expect(gina.GetByTestId("owner-dashboard")).ToHaveTextAsync("Acme Ltd");
        await Expect(gina.GetByTestId("current-role")).ToHaveTextAsync("Viewer");
        Assert.Contains("account=", gina.Url);

        // A link in the navigation keeps the account; Acme has no applications, and a Viewer may not make one.
        await gina.WaitForCircuitAsync();
        await gina.GetByRole(AriaRole.Link, new() { Name = "Applications" }).ClickAsync();
        await Expect(gina).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/applications\\?account=[0-9a-f-]{36}$"));
        await Expect(gina.GetByText("Globex app")).ToHaveCountAsync(0);
        await Expect(gina.GetByTestId("new-application")).ToHaveCountAsync(0);

        // The switcher opens her other account; Back returns to Acme's page.
        await gina.GetByTestId("switch-account").ClickAsync();
        await gina.GetByTestId("account-choice").Filter(new() { HasText = "Globex" }).ClickAsync();
        await Expect(gina.GetByTestId("owner-dashboard")).ToHaveTextAsync("Globex");
        await Expect(gina.GetByTestId("current-role")).ToHaveTextAsync("Owner");
        await gina.GoBackAsync();
        await Expect(gina).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/applications\\?account="));
        await gina.WaitForCircuitAsync();
        await Expect(gina.GetByTestId("current-account")).ToHaveTextAsync("Acme Ltd");
        await Expect(gina.GetByText("Globex app")).ToHaveCountAsync(0);

        foreach (var width in new[] { 1366, 390 })
        {
            await gina.SetViewportSizeAsync(width, 900);
            await gina.ReloadAsync();
            await gina.WaitForCircuitAsync();
            if (width == 390) await gina.GetByTestId("menu").ClickAsync();
            await Expect(gina.GetByTestId("switch-account")).ToBeVisibleAsync();
            await gina.GetByTestId("switch-account").ClickAsync();
            await Expect(gina.GetByTestId("account-choice")).ToBeVisibleAsync();
            Assert.Equal(0, await gina.ScreenshotAndMeasureOverflowAsync($"account-switcher-{width}"));
        }
    }

    private static async Task<HttpStatusCode> ListApplicationsAsync(AppHost app, string token)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/manage/applications");
        request.Headers.Add("Authorization", $"Bearer {token}");
        // Loopback is a trusted proxy by default: its X-Forwarded-Proto stands for the TLS a gateway ends.
        request.Headers.Add("X-Forwarded-Proto", "https");
        return (await client.SendAsync(request)).StatusCode;
    }
}
