using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Webhooks;

[Collection(BrowserCollection.Name)]
public sealed class WebhooksTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;
    private WebApplication receiver = default!;
    private string receiverUrl = "";
    private readonly ConcurrentQueue<(Dictionary<string, string> Headers, byte[] Body)> received = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        receiver = builder.Build();
        receiver.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            return Results.Text("thanks");
        });
        await receiver.StartAsync();
        receiverUrl = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

        // A loopback receiver over http: allowed for this test only.
        app = await AppHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowPrivateAddresses"] = "true",
            ["Webhooks:PollInterval"] = "00:00:00.200",
            ["Webhooks:RetryInterval"] = "00:00:01",
            ["Webhooks:Timeout"] = "00:00:10",
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await receiver.StopAsync();
        await receiver.DisposeAsync();
    }

    /// <summary>Adds an endpoint through the dialog; returns the signing secret shown once (its dialog still open).</summary>
    private async Task<string> AddEndpointAsync(IPage page)
    {
        await page.GotoAsync("webhooks");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("add-endpoint").ClickAsync();
        await page.GetByTestId("endpoint-url").FillAsync(receiverUrl);
        await page.GetByTestId("create-endpoint").ClickAsync();
        await Expect(page.GetByTestId("events-error")).ToContainTextAsync("Choose at least one event.");
        await page.GetByTestId("event-chat_ended").CheckAsync();
        await page.GetByTestId("create-endpoint").ClickAsync();
        await Expect(page.GetByTestId("issued-secret")).ToBeVisibleAsync();
        return await page.GetByTestId("issued-secret").InnerTextAsync();
    }

    [Fact]
    public async Task A_double_click_sends_one_test_event_and_the_open_tab_is_in_the_address()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("dora@acme.test", "Acme Ltd");
        await AddEndpointAsync(page);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("endpoint-title")).ToHaveTextAsync(receiverUrl);
        var endpointUrl = page.Url;

        await page.GetByTestId("send-test").DblClickAsync();
        await Expect(page.GetByTestId("test-queued")).ToBeVisibleAsync();

        // The Deliveries tab: in the address, kept by a reload, left by Back.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Deliveries" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(endpointUrl + "?tab=deliveries");
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Deliveries" })).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.GetByTestId("delivery-event")).ToHaveCountAsync(1);
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(endpointUrl);
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Overview" })).ToHaveAttributeAsync("aria-selected", "true");
    }

    [Fact]
    public async Task Owner_adds_an_endpoint_sets_its_verification_secret_sends_a_test_event_follows_its_attempts_and_resends_it()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var secret = await AddEndpointAsync(page);
        Assert.StartsWith(WebhookSecrets.SecretPrefix, secret);
        // Esc does not close the secret dialog (the secret would be lost); the help on verifying opens beside it.
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByTestId("issued-secret")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("one-time-secret-dialog").GetByTestId("verify-help-link")).ToHaveAttributeAsync("href", "help/webhooks");

        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("endpoint-title")).ToHaveTextAsync(receiverUrl);
        // The secret is gone once the dialog is: only its public id remains.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());

        // The owner types the verification secret their receiver compares; the page never shows it back.
        await page.GetByTestId("verification-secret").FillAsync("yoursecret-from-the-crm");
        await page.GetByTestId("save-verification-secret").ClickAsync();
        await Expect(page.GetByTestId("verification-secret")).ToHaveValueAsync("");
        Assert.DoesNotContain("yoursecret-from-the-crm", await page.ContentAsync());

        await page.GetByTestId("send-test").ClickAsync();
        await page.GetByTestId("test-delivery-link").ClickAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("delivery-event-name")).ToHaveTextAsync(WebhookEvents.Test);
        await Expect(page.GetByTestId("delivery-status")).ToHaveTextAsync("Delivered");
        await Expect(page.GetByTestId("attempt-number")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("attempt-outcome")).ToHaveTextAsync("Delivered");
        await Expect(page.GetByTestId("attempt-http-status")).ToHaveTextAsync("200");
        await Expect(page.GetByTestId("attempt-response")).ToHaveTextAsync("thanks");

        await page.GetByTestId("resend-delivery").ClickAsync();
        await Expect(page.GetByTestId("attempt-number")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("delivery-status")).ToHaveTextAsync("Delivered");

        // The delivery is in the log, on the endpoint page and on the webhooks page.
        await page.GetByTestId("delivery-endpoint").ClickAsync();
        await page.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Deliveries" }).ClickAsync();
        await Expect(page.GetByTestId("delivery-event")).ToHaveTextAsync(WebhookEvents.Test);
        await Expect(page.GetByTestId("delivery-attempts")).ToHaveTextAsync("2 attempts");
        await page.GotoAsync("webhooks");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("delivery-status-cell")).ToHaveTextAsync("Delivered");

        // What the receiver got carries the verification secret in "secret" and verifies with the signing secret shown once.
        Assert.Equal(2, received.Count);
        foreach (var (headers, body) in received)
        {
            Assert.Equal(WebhookEvents.Test, headers["webhook-event"]);
            using var json = System.Text.Json.JsonDocument.Parse(body);
            Assert.Equal("yoursecret-from-the-crm", json.RootElement.GetProperty("secret").GetString());
            new StandardWebhooks.StandardWebhook(secret).Verify(Encoding.UTF8.GetString(body),
                new HeaderDictionary(headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value), StringComparer.OrdinalIgnoreCase)));
            Assert.DoesNotContain(secret, Encoding.UTF8.GetString(body));
        }
    }

    [Fact]
    public async Task Owner_replays_what_an_endpoint_was_sent_since_a_time_and_watches_it_finish()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("rachel@replay.test", "Replay Ltd");
        var since = DateTime.UtcNow.AddMinutes(-5);
        await AddEndpointAsync(page);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("endpoint-title")).ToHaveTextAsync(receiverUrl);
        for (var sent = 1; sent <= 2; sent++)
        {
            await page.GetByTestId("send-test").ClickAsync();
            await Eventually.TrueAsync(() => received.Count == sent, $"test event {sent} at the receiver");
        }
        var firstIds = received.Select(r => r.Headers["webhook-id"]).ToList();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Replay" }).ClickAsync();
        await page.GetByTestId("replay-since").FillAsync(since.ToString("yyyy-MM-ddTHH:mm"));
        await page.GetByTestId("start-replay").ClickAsync();

        await Expect(page.GetByTestId("replay-counts")).ToContainTextAsync("2 of 2 done");
        await Expect(page.GetByTestId("replay-counts")).ToContainTextAsync("finished");
        // Sent again with their original webhook-id, so the receiver can tell them for the same events.
        await Eventually.TrueAsync(() => received.Count == 4, "the two replayed deliveries at the receiver");
        Assert.Equal(firstIds.Order(), received.Skip(2).Select(r => r.Headers["webhook-id"]).Order());

        // The tab with its finished replay fits a laptop and a phone.
        Assert.Equal(0, await page.ScreenshotAndMeasureOverflowAsync("webhook-replay-1366"));
        await page.SetViewportSizeAsync(390, 844);
        Assert.Equal(0, await page.ScreenshotAndMeasureOverflowAsync("webhook-replay-390"));
    }

    [Fact]
    public async Task Support_reads_endpoints_and_deliveries_without_edit_controls_and_other_owners_get_not_found()
    {
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        await AddEndpointAsync(owner);
        await owner.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(owner.GetByTestId("endpoint-title")).ToHaveTextAsync(receiverUrl);
        var endpointUrl = owner.Url;
        await owner.WaitForCircuitAsync();
        await owner.GetByTestId("send-test").ClickAsync();
        await owner.GetByTestId("test-delivery-link").ClickAsync();
        await Expect(owner.GetByTestId("delivery-status")).ToHaveTextAsync("Delivered");
        var deliveryUrl = owner.Url;

        var support = await browser.NewPageAsync(app);
        await support.SignInAsNewStaffAsync(browser, app, "sam@controlpanel.test", "Support");
        await support.GotoAsync("webhooks");
        await support.WaitForCircuitAsync();
        await Expect(support.GetByTestId("endpoint-link")).ToHaveTextAsync(receiverUrl);
        await Expect(support.GetByTestId("add-endpoint")).ToHaveCountAsync(0);
        await support.GotoAsync(endpointUrl);
        await support.WaitForCircuitAsync();
        await Expect(support.GetByTestId("endpoint-title")).ToHaveTextAsync(receiverUrl);
        foreach (var control in new[] { "send-test", "rotate-secret", "disable-endpoint", "save-endpoint" })
            await Expect(support.GetByTestId(control)).ToHaveCountAsync(0);
        await support.GotoAsync(deliveryUrl);
        await support.WaitForCircuitAsync();
        await Expect(support.GetByTestId("delivery-status")).ToHaveTextAsync("Delivered");
        await Expect(support.GetByTestId("resend-delivery")).ToHaveCountAsync(0);

        var other = await browser.NewPageAsync(app);
        await other.RegisterOwnerAsync("mallory@evil.test", "Evil Corp");
        await other.GotoAsync(endpointUrl);
        await Expect(other.GetByTestId("not-found")).ToBeVisibleAsync();
        await other.GotoAsync(deliveryUrl);
        await Expect(other.GetByTestId("not-found")).ToBeVisibleAsync();
        await other.GotoAsync("webhooks");
        await other.WaitForCircuitAsync();
        await Expect(other.GetByTestId("endpoint-link")).ToHaveCountAsync(0);
        await Expect(other.GetByTestId("delivery-link")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_refused_url_shows_beside_the_add_button_on_a_short_screen()
    {
        var page = await browser.NewPageAsync(app);
        await page.SetViewportSizeAsync(1366, 768);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        await page.GotoAsync("webhooks");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("add-endpoint").ClickAsync();
        await page.GetByTestId("endpoint-url").FillAsync("https://user:secret@example.com/hook");
        await page.GetByTestId("event-chat_ended").CheckAsync();
        await page.GetByTestId("create-endpoint").ClickAsync();

        // The refusal is at its field, and beside the button a line says where to look (each message once).
        var error = page.GetByTestId("add-endpoint-error");
        await Expect(error).ToContainTextAsync("see the message at the URL");
        await Expect(page.GetByTestId("add-endpoint-dialog")).ToContainTextAsync("Leave the user name and password out of the URL");
        await Expect(error).ToBeInViewportAsync();
        await Expect(page.GetByTestId("create-endpoint")).ToBeInViewportAsync();
        await Expect(page.GetByTestId("add-endpoint-dialog")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_webhook_pages_fit_a_laptop_and_a_phone_for_every_role()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        await AddEndpointAsync(page);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("endpoint-title")).ToHaveTextAsync(receiverUrl);
        var endpointPath = new Uri(page.Url).AbsolutePath.TrimStart('/');
        await page.WaitForCircuitAsync();
        await page.GetByTestId("send-test").ClickAsync();
        await page.GetByTestId("test-delivery-link").ClickAsync();
        await Expect(page.GetByTestId("delivery-status")).ToHaveTextAsync("Delivered");
        var deliveryPath = new Uri(page.Url).AbsolutePath.TrimStart('/');

        var support = await browser.NewPageAsync(app);
        await support.SignInAsNewStaffAsync(browser, app, "sam@controlpanel.test", "Support");
        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();

        var problems = new List<string>();
        foreach (var (role, viewer) in new[] { ("owner", page), ("support", support), ("admin", admin) })
            foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
            {
                await viewer.SetViewportSizeAsync(width, height);
                foreach (var (path, tab, name) in new[]
                {
                ("webhooks", "", "webhooks"), (endpointPath, "", "endpoint"), (endpointPath, "Deliveries", "endpoint-deliveries"),
                (endpointPath, "Success rate", "endpoint-success-rate"), (deliveryPath, "", "delivery"), ("help/webhooks", "", "help-webhooks"),
                ("webhooks", "add", "add-endpoint-dialog"),
            })
                {
                    if (role == "support" && tab == "add") continue; // Support adds nothing
                    await viewer.GotoAsync(path);
                    await viewer.WaitForCircuitAsync();
                    if (tab == "add") await viewer.GetByTestId("add-endpoint").ClickAsync();
                    else if (tab != "") await viewer.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
                    var overflow = await viewer.ScreenshotAndMeasureOverflowAsync($"{role}-{name}-{width}");
                    if (overflow > 0) problems.Add($"{role} /{path} {tab} at {width}px scrolls sideways by {overflow}px");
                }
            }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task On_a_phone_each_delivery_is_one_compact_row_that_opens_it()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("pia@acme.test", "Acme Ltd");
        await AddEndpointAsync(page);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("endpoint-title")).ToHaveTextAsync(receiverUrl);
        await page.WaitForCircuitAsync();
        await page.GetByTestId("send-test").ClickAsync();
        await page.GetByTestId("test-delivery-link").ClickAsync();
        await Expect(page.GetByTestId("delivery-status")).ToHaveTextAsync("Delivered");
        var deliveryPath = new Uri(page.Url).AbsolutePath;

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("webhooks");
        await page.WaitForCircuitAsync();
        var compact = page.GetByTestId("delivery-compact");
        await Expect(compact).ToContainTextAsync("Delivered");
        await Expect(compact).ToContainTextAsync(WebhookEvents.Test);
        await Expect(compact).ToContainTextAsync("1 attempt");
        await Expect(page.GetByTestId("delivery-link")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid=deliveries] thead")).ToBeHiddenAsync();
        // Two lines (event and status; time and attempts) and the cell's padding: the stacked card of labelled cells was over 200 px.
        var row = await page.Locator("[data-testid=deliveries] tbody tr").First.BoundingBoxAsync();
        Assert.NotNull(row);
        Assert.True(row.Height <= 72, $"A delivery row is {row.Height} px high at 390 px; two lines and padding fit in 72.");
        Assert.Equal(0, await page.ScreenshotAndMeasureOverflowAsync("owner-webhooks-compact-deliveries-390"));

        await compact.ClickAsync();
        await Expect(page.GetByTestId("delivery-status")).ToHaveTextAsync("Delivered");
        Assert.Equal(deliveryPath, new Uri(page.Url).AbsolutePath);

        // On a laptop the table's own columns show, not the compact row.
        await page.SetViewportSizeAsync(1366, 768);
        await page.GoBackAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("delivery-link")).ToBeVisibleAsync();
        await Expect(compact).ToBeHiddenAsync();
    }
}
