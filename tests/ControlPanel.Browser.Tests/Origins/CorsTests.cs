using System.Net;
using System.Text;
using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Origins;

/// <summary>
/// A browser page calls the platform with its keys through a real nginx in front of the app: Chromium sends the
/// CORS preflight, the gateway has the check answer it, and the call goes through from an origin the owner listed
/// and is refused by the browser itself from one nobody listed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CorsTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string GatewaySecret = "browser-gateway-secret-0123456789abcdef";

    private AppHost app = default!;
    private NginxGateway? gateway;
    private HttpListener? pages;
    private Uri listedOrigin = default!;
    private Uri unlistedOrigin = default!;

    public async Task InitializeAsync()
    {
        // The gateway talks plain HTTP on loopback (a trusted proxy by default); TLS is not what is under test.
        app = await AppHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["Api:RequireHttps"] = "false",
            ["Api:GatewaySecret"] = GatewaySecret,
        });
        if (NginxGateway.Executable is null) return;
        gateway = await NginxGateway.StartAsync(GatewaySecret, app.BaseAddress.Port);

        // Two loopback origins (they differ by port) serving the same page.
        listedOrigin = new Uri($"http://127.0.0.1:{AppProcess.FreePort()}");
        unlistedOrigin = new Uri($"http://127.0.0.1:{AppProcess.FreePort()}");
        pages = new HttpListener();
        pages.Prefixes.Add(listedOrigin.ToString());
        pages.Prefixes.Add(unlistedOrigin.ToString());
        pages.Start();
        _ = ServePagesAsync(pages);
    }

    public async Task DisposeAsync()
    {
        pages?.Close();
        if (gateway is not null) await gateway.DisposeAsync();
        await app.DisposeAsync();
    }

    private static async Task ServePagesAsync(HttpListener listener)
    {
        var html = Encoding.UTF8.GetBytes("<!doctype html><html><head><title>Shop</title></head><body><p data-testid=shop>Shop</p></body></html>");
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = html.Length;
            await context.Response.OutputStream.WriteAsync(html);
            context.Response.Close();
        }
    }

    [NginxFact]
    public async Task A_page_on_a_listed_origin_calls_through_nginx_with_its_keys_and_one_on_an_unlisted_origin_is_refused_by_the_browser()
    {
        // The owner creates an application and lists the shop page's origin on its Allowlist tab.
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("olivia@shop.test", "Shop Ltd");
        var (applicationKey, consumerKey) = await owner.CreateApplicationAsync("Shop front");
        await owner.GetByTestId("dismiss-secrets").ClickAsync();
        await owner.GetByRole(AriaRole.Tab, new() { Name = "Allowlist" }).ClickAsync();
        var origin = listedOrigin.GetLeftPart(UriPartial.Authority);
        await owner.GetByTestId("allowlist-text").FillAsync(origin);
        await owner.GetByTestId("save-allowlist").ClickAsync();
        await Expect(owner.GetByTestId("allowlist-entry")).ToHaveTextAsync(origin);

        // The same script on both pages: a GET with the key headers, which makes Chromium send a preflight first.
        var script = $$"""
            async () => {
                try {
                    const response = await fetch('{{gateway!.BaseAddress}}orders/42', {
                        headers: { 'APPLICATIONKEY': '{{applicationKey}}', 'CONSUMERKEY': '{{consumerKey}}' },
                    });
                    return { status: response.status, body: await response.text(), remaining: response.headers.get('X-RateLimit-Remaining') };
                } catch (error) {
                    return { status: 0, body: String(error), remaining: null };
                }
            }
            """;

        var listed = await browser.NewPageAsync(app);
        await listed.GotoAsync(listedOrigin.ToString());
        await Expect(listed.GetByTestId("shop")).ToBeVisibleAsync();
        var allowed = await listed.EvaluateAsync<CallResult>(script);
        Assert.True(allowed.Status == 200, $"{allowed.Status} {allowed.Body}\n{gateway.AccessLog}\n{gateway.ErrorLog}");
        Assert.Equal("upstream ok", allowed.Body);
        // The limit headers are exposed to the page.
        Assert.Equal("99", allowed.Remaining);

        var unlisted = await browser.NewPageAsync(app);
        await unlisted.GotoAsync(unlistedOrigin.ToString());
        await Expect(unlisted.GetByTestId("shop")).ToBeVisibleAsync();
        var refused = await unlisted.EvaluateAsync<CallResult>(script);
        // A CORS failure: the browser gives the page no response at all, only a TypeError.
        Assert.Equal(0, refused.Status);
        Assert.Contains("Failed to fetch", refused.Body);
        // The browser never sent the call itself: its preflight was refused by the check through the gateway. nginx logs a
        // request as it finishes, which may be just after the browser has the answer: read the log until the line is there.
        await Eventually.TrueAsync(() => gateway.AccessLog.Contains("/orders/42 403"), "the refused preflight in nginx's access log", TimeSpan.FromSeconds(10));
    }

    private sealed class CallResult
    {
        public int Status { get; set; }
        public string Body { get; set; } = "";
        public string? Remaining { get; set; }
    }
}
