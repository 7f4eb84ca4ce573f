using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Layout;

/// <summary>Snackbars say something briefly: a few at a time, one per message, gone after a few seconds, never over a dialog's buttons.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SnackbarTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;

    public async Task InitializeAsync()
    {
        // Dialogs and circuits take a while on a loaded machine.
        SetDefaultExpectTimeout(15_000);
        app = await AppHost.StartAsync();
    }
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1366, 768)]
    public async Task Snackbars_stay_few_leave_and_keep_off_the_dialogs_button(int width, int height)
    {
        var page = await browser.NewPageAsync(app);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.SetViewportSizeAsync(width, height);
        await page.RegisterOwnerAsync($"snack-{width}@acme.test", "Acme Ltd");
        await page.CreateApplicationAsync("Storefront");

        // Every copy button of the key dialog, each clicked three times: three messages, each once.
        var copies = page.GetByTestId("one-time-secret-dialog").GetByTestId("copy");
        for (var round = 0; round < 3; round++)
            for (var i = 0; i < await copies.CountAsync(); i++)
                await copies.Nth(i).ClickAsync();

        var snackbars = page.Locator(".mud-snackbar");
        await Expect(snackbars.First).ToBeVisibleAsync();
        var shown = await snackbars.AllInnerTextsAsync();
        Assert.InRange(shown.Count, 1, 3);
        Assert.Equal(shown.Count, shown.Distinct().Count());

        var button = await page.GetByTestId("dismiss-secrets").BoundingBoxAsync();
        for (var i = 0; i < await snackbars.CountAsync(); i++)
        {
            var box = await snackbars.Nth(i).BoundingBoxAsync();
            if (box is null) continue;
            var overlaps = box.X < button!.X + button.Width && button.X < box.X + box.Width && box.Y < button.Y + button.Height && button.Y < box.Y + box.Height;
            Assert.False(overlaps, $"A snackbar at {box.X},{box.Y} {box.Width}x{box.Height} covers the dialog's button at {button.X},{button.Y}.");
        }
        await page.ScreenshotAsync(new() { Path = PageActions.ScreenshotPath($"snackbars-{width}") });

        // They leave by themselves (4 s and a short fade), the pointer resting where it clicked.
        await Expect(snackbars).ToHaveCountAsync(0, new() { Timeout = 12_000 });
        await page.GetByTestId("dismiss-secrets").ClickAsync();
    }
}
