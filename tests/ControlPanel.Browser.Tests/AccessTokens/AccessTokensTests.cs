using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.AccessTokens;

[Collection(BrowserCollection.Name)]
public sealed class AccessTokensTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;

    public async Task InitializeAsync() => app = await AppHost.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Owner_creates_a_token_a_script_rotates_keys_with_it_and_the_owner_sees_the_call_in_the_audit_and_its_last_use()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        await page.CreateApplicationAsync("Storefront");
        await page.GetByTestId("dismiss-secrets").ClickAsync(); // the one-time key dialog; dismissing it opens the application
        // Polled, not awaited as a navigation event: Blazor opens the page by pushState, which may land before any wait starts.
        await Expect(page.GetByTestId("application-title")).ToHaveTextAsync("Storefront");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/applications/[0-9a-f-]{36}$"));
        var applicationId = new Uri(page.Url).AbsolutePath.Split('/').Last();

        await page.GetByRole(AriaRole.Link, new() { Name = "Access tokens" }).ClickAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("no-tokens")).ToBeVisibleAsync();
        await page.GetByTestId("token-name").FillAsync("deploy pipeline");
        await page.GetByTestId("token-scope").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Read and write" }).ClickAsync();
        // The scope's help text follows the server's value: once it changes, the choice has reached the form.
        await Expect(page.GetByText("Reads and changes what you may change.")).ToBeVisibleAsync();
        await page.GetByTestId("create-token").ClickAsync();
        var token = await page.GetByTestId("issued-access-token").InnerTextAsync();
        Assert.Matches("^cpat_[0-9a-f]{48}$", token);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("token-hint")).ToHaveTextAsync("cpat_…" + token[^4..]);
        await Expect(page.GetByTestId("token-last-used")).ToHaveTextAsync("Never");

        // The script's call: loopback is a trusted proxy by default, so its X-Forwarded-Proto stands for the TLS a gateway ends.
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var rotate = new HttpRequestMessage(HttpMethod.Post, $"api/v1/manage/applications/{applicationId}/keys/rotate")
        {
            Content = JsonContent.Create(new { grace = "OneHour" }),
        };
        rotate.Headers.Add("Authorization", $"Bearer {token}");
        rotate.Headers.Add("X-Forwarded-Proto", "https");
        var answer = await client.SendAsync(rotate);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        var newKey = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applicationKey").GetString()!;

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("token-last-used")).Not.ToHaveTextAsync("Never");
        await Expect(page.GetByTestId("token-last-used")).ToContainTextAsync("UTC");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.WaitForCircuitAsync();
        var audit = page.GetByTestId("audit-table");
        await Expect(audit).ToContainTextAsync("(token \"deploy pipeline\")");
        await Expect(audit).ToContainTextAsync($"New key pair …{newKey[^4..]}");
        await Expect(audit).ToContainTextAsync($"POST /api/v1/manage/applications/{applicationId}/keys/rotate → 201");
        await Expect(audit).ToContainTextAsync("Access token \"deploy pipeline\" (Read and write");
    }
}
