using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Applications;

/// <summary>An owner keeps an application's views; a session through the API changes only to a listed one.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ViewsTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;
    private HttpClient api = default!;

    public async Task InitializeAsync()
    {
        app = await AppHost.StartAsync(settings: new Dictionary<string, string> { ["Api:RequireHttps"] = "false" });
        api = new HttpClient { BaseAddress = app.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
    }

    private async Task<HttpResponseMessage> ChangeViewAsync(string token, string view)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/session/view") { Content = JsonContent.Create(new { view }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await api.SendAsync(request);
    }

    [Fact]
    public async Task Owner_adds_a_view_a_session_changes_to_it_it_cannot_be_removed_while_used_and_becomes_the_default()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var (applicationKey, consumerKey) = await page.CreateApplicationAsync("Storefront");
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("application-title")).ToHaveTextAsync("Storefront");

        using var open = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session");
        open.Headers.Add("APPLICATIONKEY", applicationKey);
        open.Headers.Add("CONSUMERKEY", consumerKey);
        var opened = await api.SendAsync(open);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var token = JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        // Not on the list yet: 309.
        var refused = await ChangeViewAsync(token, "catalogue");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(309, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("Error").GetInt32());

        await page.GetByRole(AriaRole.Tab, new() { Name = "Views" }).ClickAsync();
        await Expect(page.GetByTestId("view-row-name").Locator("code")).ToHaveTextAsync(["default"]);
        await page.GetByTestId("view-name").FillAsync("catalogue");
        await page.GetByTestId("view-description").FillAsync("Products only");
        await page.GetByTestId("add-view").ClickAsync();
        await Expect(page.GetByTestId("view-row-name")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("view-row-description").Nth(1)).ToHaveTextAsync("Products only");

        Assert.Equal(HttpStatusCode.OK, (await ChangeViewAsync(token, "catalogue")).StatusCode);

        // In use by the live session: the removal is refused and the view stays.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Views" }).ClickAsync();
        await Expect(page.GetByTestId("view-row-sessions").Nth(1)).ToHaveTextAsync("1");
        await page.GetByTestId("remove-view").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("1 live session uses \"catalogue\"");
        await Expect(page.GetByTestId("view-row-name")).ToHaveCountAsync(2);

        // Chosen as the default on the Overview tab.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Overview" }).ClickAsync();
        await page.GetByTestId("application-view").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "catalogue", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("application-view")).ToContainTextAsync("catalogue"); // the choice has reached the form
        await page.GetByTestId("save-application").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Views" }).ClickAsync();
        await Expect(page.GetByTestId("view-row-name").Locator("code")).ToHaveTextAsync(["catalogue", "default"]);
        await Expect(page.GetByTestId("view-default")).ToHaveCountAsync(1);
    }
}
