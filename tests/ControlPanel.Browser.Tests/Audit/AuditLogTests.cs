using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Audit;

[Collection(BrowserCollection.Name)]
public sealed class AuditLogTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;

    public async Task InitializeAsync() => app = await AppHost.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Owners_see_their_own_entries_and_an_admin_filters_every_account()
    {
        var acme = await browser.NewPageAsync(app);
        await acme.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        await acme.CreateApplicationAsync("Storefront");
        var globex = await browser.NewPageAsync(app);
        await globex.RegisterOwnerAsync("gus@globex.test", "Globex");
        await globex.CreateApplicationAsync("Billing");

        await acme.GotoAsync("audit");
        await acme.WaitForCircuitAsync();
        await Expect(acme.Locator("[data-testid=audit-table] tbody tr")).ToHaveCountAsync(1);
        // The account-wide log names each entry's application.
        await Expect(acme.GetByTestId("audit-application")).ToHaveTextAsync("Storefront");
        await Expect(acme.GetByTestId("audit-table")).Not.ToContainTextAsync("Billing");

        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        await admin.GotoAsync("audit");
        await admin.WaitForCircuitAsync();
        await Expect(admin.Locator("[data-testid=audit-table] tbody tr")).ToHaveCountAsync(2);

        await admin.GetByTestId("filter-account").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Globex", Exact = true }).ClickAsync();
        await Expect(admin.Locator("[data-testid=audit-table] tbody tr")).ToHaveCountAsync(1);
        await Expect(admin.GetByTestId("audit-application")).ToHaveTextAsync("Billing");
        await Expect(admin.GetByTestId("audit-table")).Not.ToContainTextAsync("Storefront");
    }
}
