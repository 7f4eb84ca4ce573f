using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Cluster;

/// <summary>
/// Two instances of the app sharing one PostgreSQL database (the server test.sh starts): a change
/// made in one instance's UI is in force on the other within a second.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InstancesTests(BrowserFixture browser) : IAsyncLifetime
{
    private string _database = default!;
    private AppHost first = default!;
    private AppHost second = default!;

    public async Task InitializeAsync()
    {
        _database = TestPostgres.CreateDatabase("cp_browser");
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = TestPostgres.ConnectionString(_database),
            ["Api:RequireHttps"] = "false",
        };
        first = await AppHost.StartAsync(settings: settings);
        second = await AppHost.StartAsync(settings: settings);
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
        TestPostgres.DropDatabase(_database);
    }

    [Fact]
    public async Task A_key_revoked_in_one_instance_is_refused_by_the_other_within_a_second()
    {
        var page = await browser.NewPageAsync(first);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var (applicationKey, consumerKey) = await page.CreateApplicationAsync("Storefront");
        using var http = new HttpClient { BaseAddress = second.BaseAddress };
        Task<HttpStatusCode> CheckOnSecondAsync() => StatusAsync(http, applicationKey, consumerKey);

        // The new application reached the other instance through the change log.
        Assert.Equal(HttpStatusCode.OK, await PollAsync(CheckOnSecondAsync, HttpStatusCode.OK, TimeSpan.FromSeconds(5)));

        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Keys" }).ClickAsync();
        await page.GetByTestId("revoke").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByTestId("pair-state")).ToHaveTextAsync(new Regex("^Revoked "));
        var revoked = Stopwatch.StartNew();

        var status = await PollAsync(CheckOnSecondAsync, HttpStatusCode.Forbidden, TimeSpan.FromSeconds(5));
        var elapsed = revoked.Elapsed;

        Assert.Equal(HttpStatusCode.Forbidden, status); // 204 NOT AUTHORISED
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"the other instance refused the revoked keys after {elapsed.TotalMilliseconds:0} ms");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string applicationKey, string consumerKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/check");
        request.Headers.Add("APPLICATIONKEY", applicationKey);
        request.Headers.Add("CONSUMERKEY", consumerKey);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Asks until the answer is <paramref name="wanted"/> or the time is up; returns the last answer.</summary>
    private static async Task<HttpStatusCode> PollAsync(Func<Task<HttpStatusCode>> ask, HttpStatusCode wanted, TimeSpan patience)
    {
        var status = default(HttpStatusCode);
        try
        {
            await Eventually.TrueAsync(async () => (status = await ask()) == wanted, $"the answer {wanted}", patience);
        }
        catch (TimeoutException)
        {
            // The caller asserts on the last answer, which says more than the timeout.
        }
        return status;
    }
}
