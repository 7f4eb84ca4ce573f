using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Applications;

[Collection(BrowserCollection.Name)]
public sealed class ApplicationKeysTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;

    public async Task InitializeAsync()
    {
        // Dialogs and circuits take a while on a loaded machine.
        SetDefaultExpectTimeout(15_000);
        app = await AppHost.StartAsync();
    }
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Owner_creates_an_application_sees_the_keys_once_rotates_revokes_and_reads_the_audit()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var (applicationKey, consumerKey) = await page.CreateApplicationAsync("Storefront");
        Assert.Matches("^[0-9a-f]{32}$", applicationKey);
        Assert.Matches("^[0-9a-f]{32}$", consumerKey);

        // Esc does not close the one-time dialog: only "I have saved the keys" does, and then the application opens.
        // The copy button's confirmation comes back from the server after the Esc, so the Esc was handled by then.
        await page.Keyboard.PressAsync("Escape");
        await page.GetByTestId("one-time-secret-dialog").GetByTestId("copy").First.ClickAsync();
        await Expect(page.Locator(".mud-snackbar").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("one-time-secret-dialog")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("issued-application-key")).ToHaveTextAsync(applicationKey);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("application-title")).ToHaveTextAsync("Storefront");

        // After a reload only the last four characters remain.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Keys" }).ClickAsync();
        await Expect(page.GetByTestId("pair-application-key")).ToHaveTextAsync("…" + applicationKey[^4..]);
        await Expect(page.GetByTestId("one-time-secret-dialog")).ToHaveCountAsync(0);
        var html = await page.ContentAsync();
        Assert.DoesNotContain(applicationKey, html);
        Assert.DoesNotContain(consumerKey, html);

        // Rotate with the default 1-hour grace, after confirming: two live pairs, the old one with an expiry.
        await Expect(page.GetByTestId("grace")).ToContainTextAsync("1 hour");
        await page.GetByTestId("rotate").ClickAsync();
        await Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync("keep working for 1 hour");
        await page.GetByTestId("confirm").ClickAsync();
        var newKey = await page.GetByTestId("issued-application-key").InnerTextAsync();
        Assert.NotEqual(applicationKey, newKey);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("one-time-secret-dialog")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("pair-state")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("pair-state").Nth(0)).ToHaveTextAsync("Live");
        await Expect(page.GetByTestId("pair-state").Nth(1)).ToHaveTextAsync(new Regex("^Live until "));

        // Revoke the old pair, after confirming.
        await page.GetByTestId("revoke").Nth(1).ClickAsync();
        await Expect(page.GetByTestId("confirm")).ToHaveTextAsync("Revoke");
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByTestId("pair-state").Nth(1)).ToHaveTextAsync(new Regex("^Revoked "));
        await Expect(page.GetByTestId("revoke")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Audit" }).ClickAsync();
        var actions = page.GetByTestId("audit-action");
        await Expect(actions).ToHaveTextAsync(["keys.revoked", "keys.rotated", "application.created"]);
    }

    [Fact]
    public async Task A_duplicate_name_gets_a_validation_message()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        await page.CreateApplicationAsync("Storefront");
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await page.GotoAsync("applications");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("new-application").ClickAsync();
        var dialog = page.GetByTestId("create-application-dialog");
        // Nothing is in red before anything was typed or submitted.
        await Expect(page.GetByTestId("application-name")).ToBeVisibleAsync();
        await page.SettledAsync();
        await Expect(dialog.GetByText("Enter a name.")).ToHaveCountAsync(0);
        await page.GetByTestId("create-application").ClickAsync();
        await Expect(dialog.GetByText("Enter a name.")).ToBeVisibleAsync();
        await page.GetByTestId("application-name").FillAsync("storefront");
        await page.GetByTestId("create-application").ClickAsync();
        // At the field, and nowhere else: not a second time in a snackbar.
        await Expect(dialog.GetByText("already exists in this account")).ToBeVisibleAsync();
        await page.SettledAsync();
        await Expect(page.GetByText("already exists in this account")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_open_tab_is_in_the_address_so_back_and_reload_keep_it()
    {
        var (page, applicationUrl) = await OwnersApplicationAsync();
        await page.WaitForCircuitAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Keys" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(applicationUrl + "?tab=keys");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Audit" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(applicationUrl + "?tab=audit");
        await Expect(page.GetByTestId("audit-action")).ToHaveCountAsync(1);

        // Back is the tab before, still in the application.
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(applicationUrl + "?tab=keys");
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Keys" })).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.GetByTestId("key-pairs")).ToBeVisibleAsync();

        // A reload, or the address shared, opens the same tab.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Keys" })).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.GetByTestId("key-pairs")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Support_sees_the_application_without_key_controls()
    {
        var applicationUrl = await OwnersApplicationUrlAsync();

        var support = await browser.NewPageAsync(app);
        await support.SignInAsNewStaffAsync(browser, app, "sam@controlpanel.test", "Support");
        await support.GotoAsync("applications");
        await support.WaitForCircuitAsync();
        await Expect(support.GetByTestId("application-link")).ToHaveTextAsync("Storefront");
        await Expect(support.GetByTestId("new-application")).ToHaveCountAsync(0);

        await support.GotoAsync(applicationUrl);
        await support.WaitForCircuitAsync();
        await Expect(support.GetByTestId("application-title")).ToHaveTextAsync("Storefront");
        await Expect(support.GetByTestId("save-application")).ToHaveCountAsync(0);
        await support.GetByRole(AriaRole.Tab, new() { Name = "Keys" }).ClickAsync();
        await Expect(support.GetByTestId("key-pairs")).ToBeVisibleAsync();
        await Expect(support.GetByTestId("rotate")).ToHaveCountAsync(0);
        await Expect(support.GetByTestId("revoke")).ToHaveCountAsync(0);
        await Expect(support.GetByTestId("pair-application-key")).ToHaveTextAsync("…····");
    }

    [Fact]
    public async Task An_owner_cannot_open_another_accounts_application_by_url()
    {
        var applicationUrl = await OwnersApplicationUrlAsync();

        var other = await browser.NewPageAsync(app);
        await other.RegisterOwnerAsync("mallory@evil.test", "Evil Corp");
        await other.GotoAsync(applicationUrl);
        await Expect(other.GetByTestId("not-found")).ToBeVisibleAsync();
        await Expect(other.GetByTestId("application-title")).ToHaveCountAsync(0);
        await other.GotoAsync("applications");
        await other.WaitForCircuitAsync();
        await Expect(other.GetByTestId("application-link")).ToHaveCountAsync(0);
    }

    /// <summary>An owner registers and creates "Storefront"; returns the application page's address.</summary>
    private async Task<string> OwnersApplicationUrlAsync() => (await OwnersApplicationAsync()).Url;

    /// <summary>An owner registers and creates "Storefront"; returns their page, on the application, and its address.</summary>
    private async Task<(IPage Page, string Url)> OwnersApplicationAsync()
    {
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        await owner.CreateApplicationAsync("Storefront");
        await owner.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(owner.GetByTestId("application-title")).ToHaveTextAsync("Storefront");
        return (owner, owner.Url);
    }
}
