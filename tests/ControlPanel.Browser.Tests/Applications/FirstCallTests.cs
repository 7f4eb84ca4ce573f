using System.Diagnostics;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Applications;

/// <summary>
/// The commands the panel offers for a first call work as shown: run in a shell against this instance (plain HTTP on
/// loopback, HTTPS required, loopback a trusted proxy: the shipped settings), they answer 200, never 426 with error 101.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FirstCallTests(BrowserFixture browser) : IAsyncLifetime
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
    public async Task The_command_under_new_keys_and_the_dashboards_commands_answer_200_as_shown()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var (applicationKey, consumerKey) = await page.CreateApplicationAsync("Storefront");

        var command = await page.GetByTestId("first-call-command").InnerTextAsync();
        Assert.Contains(applicationKey, command);
        Assert.Contains(consumerKey, command);
        var answer = await ShellAsync(command);
        Assert.StartsWith("HTTP/1.1 200", answer);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page.GetByTestId("application-title")).ToHaveTextAsync("Storefront");

        // The dashboard's steps, with the keys put in the shell as step 1 says.
        await page.GotoAsync("");
        await page.WaitForCircuitAsync();
        var check = await page.GetByTestId("curl-check").InnerTextAsync();
        var verify = await page.GetByTestId("curl-verify").InnerTextAsync();
        var session = await page.GetByTestId("curl-session").InnerTextAsync();
        Assert.StartsWith("HTTP/1.1 200", await ShellAsync(check, applicationKey, consumerKey));
        var verified = await ShellAsync(verify, applicationKey, consumerKey);
        Assert.DoesNotContain("101", verified);
        Assert.Contains("\"valid\":true", verified.Replace(" ", ""), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("token", await ShellAsync(session, applicationKey, consumerKey), StringComparison.OrdinalIgnoreCase);
        await Expect(page.GetByTestId("https-note")).ToHaveCountAsync(0);
    }

    /// <summary>Runs a command as a person would paste it into bash, with the keys in the environment as step 1 puts them.</summary>
    private static async Task<string> ShellAsync(string command, string? applicationKey = null, string? consumerKey = null)
    {
        var start = new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (applicationKey is not null) start.Environment["APPLICATIONKEY"] = applicationKey;
        if (consumerKey is not null) start.Environment["CONSUMERKEY"] = consumerKey;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output;
    }
}
