using System.Text.Json;
using ControlPanel.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Browser.Tests.Usage;

/// <summary>
/// Usage charts, quota administration and support's usage history, driven by real calls to the
/// key-validation API (GET /api/v1/check with APPLICATIONKEY and CONSUMERKEY headers).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UsageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppHost app = default!;
    private HttpClient api = default!;

    // Plain HTTP on loopback: the test calls the check API directly, not through a TLS-terminating gateway.
    public async Task InitializeAsync()
    {
        // Charts and live refreshes take a while on a loaded machine.
        SetDefaultExpectTimeout(15_000);
        app = await AppHost.StartAsync(settings: new Dictionary<string, string> { ["Api:RequireHttps"] = "false" });
        api = new HttpClient { BaseAddress = app.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task An_owner_sees_the_calls_made_through_the_api_in_the_usage_charts_and_tables()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var keys = await page.CreateApplicationAsync("Storefront");
        Assert.Equal([0, 0, 0], await CallAsync(keys, 3));

        await page.GetByTestId("dismiss-secrets").ClickAsync(); // the one-time key dialog; dismissing it opens the application
        await page.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Usage" }).ClickAsync();
        var daily = page.GetByTestId("daily-chart");
        await Expect(daily.Locator("svg").First).ToBeVisibleAsync();
        await Expect(daily).ToContainTextAsync("Allowed"); // the legend
        // The last hour refreshes itself; the calls appear without reloading the page.
        await Expect(page.GetByTestId("live-total")).ToHaveTextAsync("3", new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("quota-used")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("quota-limit")).ToHaveTextAsync("1,000,000");

        await page.GetByTestId("daily-chart-toggle").ClickAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var todayRow = page.Locator($"[data-testid=daily-table-row][data-start='{today}']");
        await Expect(todayRow.Locator("td[data-outcome=Allowed]")).ToHaveTextAsync("3");
        await Expect(todayRow.Locator("td[data-outcome=Total]")).ToHaveTextAsync("3");
        await Expect(page.Locator("[data-testid=daily-table-totals] td[data-outcome=Allowed]")).ToHaveTextAsync("3");
        await page.GetByTestId("outcome-chart-toggle").ClickAsync();
        await Expect(page.GetByTestId("outcome-calls")).ToHaveTextAsync(["3", "0", "0", "0", "0", "0"]);

        // The account-wide page shows the same numbers, and the history table has the day's row.
        await page.GotoAsync("usage");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("range-total")).ToHaveTextAsync("3");
        var history = page.GetByTestId("history-grid").Locator("tbody tr");
        await Expect(history).ToHaveCountAsync(1);
        await Expect(history.First).ToContainTextAsync(today);
        await Expect(history.First).ToContainTextAsync("Storefront");
    }

    [Fact]
    public async Task An_admin_lowers_a_quota_and_calls_past_the_allowance_answer_103()
    {
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var keys = await owner.CreateApplicationAsync("Storefront");
        await owner.GetByTestId("dismiss-secrets").ClickAsync(); // the one-time key dialog; dismissing it opens the application
        await Expect(owner.GetByTestId("application-title")).ToHaveTextAsync("Storefront");
        var applicationUrl = owner.Url;
        await Expect(owner.GetByRole(AriaRole.Tab, new() { Name = "Admin" })).ToHaveCountAsync(0);

        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        await admin.GotoAsync(applicationUrl);
        await admin.WaitForCircuitAsync();
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Admin" }).ClickAsync();

        // The domain's validation message is shown as is, next to the button.
        await admin.GetByTestId("admin-quota").FillAsync("-5");
        await admin.GetByTestId("admin-save-quota").ClickAsync();
        await Expect(admin.GetByTestId("admin-quota-error")).ToContainTextAsync("The monthly quota must be from 0");

        // "5k" is not read as 5: refused at its field, nothing saved.
        await admin.GetByTestId("admin-quota").FillAsync("5k");
        await admin.GetByTestId("admin-save-quota").ClickAsync();
        await Expect(admin.GetByText("Enter the monthly quota as a whole number in digits")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("admin-quota-in-force")).ToContainTextAsync("the default, 1,000,000,");

        // From the default million to 2 is a cut of more than 90 %: confirmed first.
        await admin.GetByTestId("admin-quota").FillAsync("2");
        await admin.GetByTestId("admin-allowance").FillAsync("1");
        await admin.GetByTestId("admin-save-quota").ClickAsync();
        await Expect(admin.GetByTestId("confirm-dialog")).ToContainTextAsync("a cut of more than 90 %");
        await admin.GetByTestId("confirm").ClickAsync();
        await Expect(admin.GetByText("Quota saved; it applies to the next call.")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("admin-quota-error")).ToHaveCountAsync(0);
        // The fields show what was saved (read back from the domain), after a second save too.
        var inForce = admin.GetByTestId("admin-quota-in-force");
        await Expect(inForce).ToContainTextAsync("In force: 2 calls a month and 1 beyond it.");
        await Expect(admin.GetByTestId("admin-quota")).ToHaveValueAsync("2");
        await admin.GetByTestId("admin-quota").FillAsync("3");
        await admin.GetByTestId("admin-save-quota").ClickAsync();
        await Expect(inForce).ToContainTextAsync("In force: 3 calls a month");
        await Expect(admin.GetByTestId("admin-quota")).ToHaveValueAsync("3");
        await admin.GetByTestId("admin-quota").FillAsync("2");
        await admin.GetByTestId("admin-save-quota").ClickAsync();
        await Expect(inForce).ToContainTextAsync("In force: 2 calls a month");
        await Expect(admin.GetByTestId("admin-quota")).ToHaveValueAsync("2");
        await Expect(admin.GetByTestId("admin-allowance")).ToHaveValueAsync("1");

        // Two calls within the quota, one on the allowance, then 103.
        Assert.Equal([0, 0, 0, 103, 103], await CallAsync(keys, 5));

        // The owner sees the notification and the refusals. Notifications are stored by the once-a-second
        // flush, so the page may first open before it: open it again until the overrun banner is there.
        var banner = owner.GetByTestId("quota-banner").Filter(new() { HasText = "has used its monthly quota" });
        await Eventually.TrueAsync(async () =>
        {
            await owner.GotoAsync("usage");
            await owner.WaitForCircuitAsync();
            return await banner.CountAsync() > 0;
        }, "the quota banner on a freshly opened usage page");
        await Expect(banner.First).ToBeVisibleAsync();
        await Expect(owner.GetByTestId("quota-notification").First).ToBeVisibleAsync();
        await Expect(owner.GetByTestId("range-total")).ToHaveTextAsync("5", new() { Timeout = 20_000 });
        await owner.GetByTestId("outcome-chart-toggle").ClickAsync();
        await Expect(owner.GetByTestId("outcome-calls")).ToHaveTextAsync(["3", "0", "2", "0", "0", "0"]);
    }

    [Fact]
    public async Task An_admin_locks_an_account_and_its_calls_answer_225_until_unlocked()
    {
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var keys = await owner.CreateApplicationAsync("Storefront");
        Assert.Equal([0], await CallAsync(keys, 1));

        var admin = await browser.NewPageAsync(app);
        await admin.SignInAsAdminAsync();
        await admin.GotoAsync("admin/accounts");
        await admin.WaitForCircuitAsync();
        var row = admin.GetByTestId("accounts-grid").Locator("tbody tr", new() { HasText = "Acme Ltd" });
        await row.GetByTestId("lock-account").ClickAsync();
        await Expect(admin.GetByTestId("confirm")).ToHaveTextAsync("Lock");
        await admin.GetByTestId("confirm-reason").FillAsync("Unpaid invoices");
        await admin.GetByTestId("confirm").ClickAsync();
        await Expect(row.GetByTestId("account-status")).ToHaveTextAsync("Locked");
        Assert.Equal([225, 225], await CallAsync(keys, 2));

        await row.GetByTestId("unlock-account").ClickAsync();
        await Expect(admin.GetByTestId("confirm")).ToHaveTextAsync("Unlock");
        await admin.GetByTestId("confirm-reason").FillAsync("Paid");
        await admin.GetByTestId("confirm").ClickAsync();
        await Expect(row.GetByTestId("account-status")).ToHaveTextAsync("Active");
        Assert.Equal([0], await CallAsync(keys, 1));
    }

    [Fact]
    public async Task Support_exports_the_history_as_csv_with_the_tables_rows_and_has_no_edit_controls()
    {
        var owner = await browser.NewPageAsync(app);
        await owner.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var storefront = await owner.CreateApplicationAsync("Storefront");
        await owner.GetByTestId("dismiss-secrets").ClickAsync(); // the one-time key dialog; dismissing it opens the application
        await Expect(owner.GetByTestId("application-title")).ToHaveTextAsync("Storefront");
        var applicationUrl = owner.Url;
        var backoffice = await owner.CreateApplicationAsync("Backoffice");
        Assert.Equal([0, 0], await CallAsync(storefront, 2));
        Assert.Equal([0], await CallAsync(backoffice, 1));

        var support = await browser.NewPageAsync(app);
        await support.SignInAsNewStaffAsync(browser, app, "sam@controlpanel.test", "Support");
        await support.GotoAsync("usage");
        await support.WaitForCircuitAsync();
        await Expect(support.GetByTestId("filter-account")).ToBeVisibleAsync();
        var rows = support.GetByTestId("history-grid").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);

        var table = new List<string>();
        foreach (var row in await rows.AllAsync())
            table.Add(string.Join(",", (await row.Locator("td").AllInnerTextsAsync()).Select(cell => cell.Trim().Replace(",", ""))));
        var download = await support.RunAndWaitForDownloadAsync(() => support.GetByTestId("export-csv").ClickAsync());
        var csv = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(line => line.Length > 0).ToList();
        Assert.StartsWith("Day (UTC),Account,Application,Environment,Allowed,158 rate limited", csv[0]);
        Assert.Equal(table, csv.Skip(1));
        Assert.Contains(table, line => line.Contains("Storefront") && line.Contains("Acme Ltd"));

        // Read only, and no key material anywhere.
        foreach (var secret in new[] { storefront.ApplicationKey, storefront.ConsumerKey, backoffice.ApplicationKey, backoffice.ConsumerKey })
        {
            Assert.DoesNotContain(secret, await support.ContentAsync());
            Assert.DoesNotContain(secret, string.Join("\n", csv));
        }
        await support.GotoAsync(applicationUrl);
        await support.WaitForCircuitAsync();
        await support.GetByRole(AriaRole.Tab, new() { Name = "Usage" }).ClickAsync();
        await Expect(support.GetByTestId("quota-used")).ToHaveTextAsync("2");
        await Expect(support.GetByRole(AriaRole.Tab, new() { Name = "Admin" })).ToHaveCountAsync(0);
        await Expect(support.GetByTestId("admin-panel")).ToHaveCountAsync(0);
        await Expect(support.GetByTestId("save-application")).ToHaveCountAsync(0);

        await support.GotoAsync("admin/overview");
        await support.WaitForCircuitAsync();
        await Expect(support.GetByTestId("top-accounts")).ToContainTextAsync("Acme Ltd");
        await Expect(support.Locator("[data-testid=lock-account], [data-testid=admin-save-quota]")).ToHaveCountAsync(0);
        await support.GotoAsync("admin/accounts");
        await Expect(support.GetByTestId("not-found")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_date_range_that_ends_before_it_starts_gets_a_message_and_the_api_answers_311()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var today = DateTime.UtcNow.Date;
        // The range lives in the URL (a shared link or a reload); typing in the picker writes the same URL.
        await page.GotoAsync($"usage?range=custom&from={today:yyyy-MM-dd}&to={today.AddDays(-3):yyyy-MM-dd}");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("filter-range")).ToContainTextAsync("is before the start date");
        await Expect(page.GetByTestId("export-csv")).ToHaveCountAsync(0);

        // The same rule through the API, with the browser's sign-in cookie.
        var answer = await page.Context.APIRequest.GetAsync($"api/v1/usage?from={today:yyyy-MM-dd}&to={today.AddDays(-3):yyyy-MM-dd}");
        var body = JsonDocument.Parse(await answer.TextAsync()).RootElement;
        Assert.Equal(311, body.GetProperty("Error").GetInt32());
        Assert.Equal("INVALID DATE RANGE", body.GetProperty("Description").GetString());
        var tooLong = JsonDocument.Parse(await (await page.Context.APIRequest.GetAsync($"api/v1/usage?from={today.AddDays(-500):yyyy-MM-dd}&to={today:yyyy-MM-dd}")).TextAsync()).RootElement;
        Assert.Equal(311, tooLong.GetProperty("Error").GetInt32());
        var fine = await page.Context.APIRequest.GetAsync($"api/v1/usage?from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        Assert.Equal(7, JsonDocument.Parse(await fine.TextAsync()).RootElement.GetProperty("days").GetArrayLength());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("api/v1/usage")).StatusCode);
    }

    [Fact]
    public async Task The_usage_charts_are_apexcharts_with_titled_axes_a_preset_range_and_tooltips_at_desktop_and_phone_widths_in_both_themes()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        // A name at the 80-character limit, one long word: nothing may push the page sideways.
        var name = "Storefront" + new string('x', 70);
        var keys = await page.CreateApplicationAsync(name);
        await CallAsync(keys, 4);
        await CallAsync((keys.ApplicationKey, "not-the-consumer-key"), 1);

        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync("usage");
        await page.WaitForCircuitAsync();
        // The chart library is served from the build's restored copy.
        Assert.Equal(200, (await page.Context.APIRequest.GetAsync("lib/apexcharts/apexcharts.min.js")).Status);
        await Expect(page.GetByTestId("filter-preset").Locator("input").First).ToHaveValueAsync("Last 30 days");
        var daily = page.GetByTestId("daily-chart");
        await Expect(daily.Locator("svg.apexcharts-svg")).ToBeVisibleAsync();
        await Expect(daily.Locator(".apexcharts-xaxis-title")).ToHaveTextAsync("Day (UTC)");
        await Expect(daily.Locator(".apexcharts-yaxis-title")).ToHaveTextAsync("Calls per day");
        await Expect(page.GetByTestId("month-chart").Locator("svg.apexcharts-svg")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("outcome-chart").Locator("svg.apexcharts-svg")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("live-chart").Locator("svg.apexcharts-svg")).ToBeVisibleAsync();
        // Calls that named no resource are the default resource's.
        await Expect(page.GetByTestId("resource-chart").Locator("svg.apexcharts-svg")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("top-resource")).ToHaveTextAsync("any /**");

        foreach (var (theme, first) in new[] { ("light", true), ("dark", false) })
        {
            if (!first) await page.GetByTestId("dark-mode").ClickAsync();
            foreach (var (width, height) in new[] { (1366, 900), (390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                // ApexCharts redraws on a resize after a short debounce; hover the redrawn chart, not the old one.
                await page.SettledAsync();
                await daily.ScrollIntoViewIfNeededAsync();
                // Today's bar, the last one: its tooltip names the day, each outcome and the total.
                var grid = daily.Locator("svg.apexcharts-svg .apexcharts-grid").First;
                var tooltip = daily.GetByTestId("chart-tooltip");
                var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
                // From outside the chart to today's bar: the chart shows its tooltip on a move. Should ApexCharts still
                // swap a redrawn chart in, the grid is briefly missing or detached: measure and move again.
                await Eventually.TrueAsync(async () =>
                {
                    try
                    {
                        if (await grid.BoundingBoxAsync(new() { Timeout = 2000 }) is not { } box) return false;
                        await page.Mouse.MoveAsync(1, 1);
                        await page.Mouse.MoveAsync(box.X + box.Width - 3, box.Y + box.Height / 2, new() { Steps = 4 });
                        if (!await tooltip.IsVisibleAsync()) return false;
                        var text = await tooltip.InnerTextAsync(new() { Timeout = 2000 });
                        return text.Contains(today) && text.Contains("Allowed") && text.Contains("Total");
                    }
                    catch (Exception e) when (e is PlaywrightException or TimeoutException)
                    {
                        // Playwright's timeouts are System.TimeoutException: the tooltip left between the two reads.
                        return false;
                    }
                }, "the tooltip of today's bar in the redrawn chart, with each outcome and the total");
                var overflow = await page.ScreenshotAndMeasureOverflowAsync($"usage-{theme}-{width}");
                Assert.Equal(0, overflow);
            }
        }
    }

    [Fact]
    public async Task A_month_of_usage_reads_as_analytics_in_a_viewport_sized_picture_for_the_readme()
    {
        var page = await browser.NewPageAsync(app);
        await page.RegisterOwnerAsync("olivia@acme.test", "Acme Ltd");
        var storefront = await NewApplicationIdAsync(page, "Storefront");
        var mobile = await NewApplicationIdAsync(page, "Mobile app");

        // Thirty days of calls written as the usage meter writes those the check records (by hour; by minute for the
        // last hour): weekdays busier than weekends, days busier than nights, slowly growing, with some refusals.
        var meter = new ControlPanel.Domain.Usage.UsageMeter(new AppDatabase(app));
        var now = DateTime.UtcNow;
        var random = new Random(27);
        foreach (var (id, perHour) in new[] { (storefront, 1500.0), (mobile, 450.0) })
        {
            for (var hour = now.Date.AddDays(-29); hour <= now; hour = hour.AddHours(1))
            {
                var weekday = hour.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.55 : 1.0;
                var daytime = 0.3 + 0.7 * Math.Sin(Math.PI * Math.Clamp((hour.Hour - 5) / 17.0, 0, 1));
                var growth = 1 + (hour - now.Date.AddDays(-29)).TotalDays * 0.012;
                var calls = (int)(perHour * weekday * daytime * growth * (0.85 + random.NextDouble() * 0.3));
                var lastHour = now - hour < TimeSpan.FromHours(1);
                for (var i = 0; i < calls; i++)
                {
                    var at = lastHour ? hour.AddMinutes(random.Next(Math.Max(1, (int)(now - hour).TotalMinutes))) : hour;
                    var roll = random.NextDouble();
                    var outcome = roll < 0.025 ? 158 : roll < 0.031 ? 204 : roll < 0.035 ? 111 : 0;
                    meter.Record(id, null, ControlPanel.Domain.Applications.ApplicationEnvironment.Development, outcome, true, at);
                }
            }
        }
        await meter.FlushAsync(now);

        await page.SetViewportSizeAsync(1366, 800);
        await page.GotoAsync("usage");
        await page.WaitForCircuitAsync();
        var daily = page.GetByTestId("daily-chart");
        await Expect(daily.Locator("svg.apexcharts-svg")).ToBeVisibleAsync();
        await Expect(daily.Locator(".apexcharts-xaxis-title")).ToHaveTextAsync("Day (UTC)");
        await Expect(page.GetByTestId("range-total")).Not.ToHaveTextAsync("0");
        // The month by day and its outcomes at the top of the window, below the app bar, with one weekday's tooltip open.
        await page.EvaluateAsync("() => { document.querySelector('[data-testid=daily-chart]').scrollIntoView({ block: 'start' }); window.scrollBy(0, -84); }");
        await page.SettledAsync();
        var grid = (await daily.Locator("svg.apexcharts-svg .apexcharts-grid").First.BoundingBoxAsync())!;
        var shownDay = Enumerable.Range(1, 7).Select(back => now.Date.AddDays(-back)).First(d => d.DayOfWeek is >= DayOfWeek.Tuesday and <= DayOfWeek.Thursday);
        var x = grid.X + grid.Width * ((shownDay - now.Date.AddDays(-29)).TotalDays + 0.5) / 30;
        await page.Mouse.MoveAsync(1, 1);
        await page.Mouse.MoveAsync((float)x, grid.Y + grid.Height * 0.6f, new() { Steps = 4 });
        var tooltip = daily.GetByTestId("chart-tooltip");
        // A day of the month (the bars' padding may put the pointer on a neighbour), its outcomes and the total.
        await Expect(tooltip).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d{4}-\d{2}-\d{2} \(UTC\)"));
        await Expect(tooltip).ToContainTextAsync("204 bad keys");
        await Expect(tooltip).ToContainTextAsync("Total");
        // The viewport only, as a reader sees the page (docs/images/usage.png is this picture).
        await page.ScreenshotAsync(new() { Path = PageActions.ScreenshotPath("readme-usage") });
        Assert.Equal(0, await page.ScreenshotAndMeasureOverflowAsync("usage-month-1366"));
    }

    /// <summary>Creates an application through the dialog and answers its id, from the page it opens.</summary>
    private static async Task<Guid> NewApplicationIdAsync(IPage page, string name)
    {
        await page.CreateApplicationAsync(name);
        await page.GetByTestId("dismiss-secrets").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/applications/[0-9a-f-]{36}$"));
        return Guid.Parse(page.Url[^36..]);
    }

    /// <summary>The app's own database, opened as the app opens it, for writing what the app would have written.</summary>
    private sealed class AppDatabase(AppHost app) : Microsoft.EntityFrameworkCore.IDbContextFactory<ControlPanel.Domain.Data.ControlPanelDbContext>
    {
        public ControlPanel.Domain.Data.ControlPanelDbContext CreateDbContext()
        {
            var builder = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<ControlPanel.Domain.Data.ControlPanelDbContext>();
            ControlPanel.Domain.Data.DatabaseSetup.Configure(builder, new ControlPanel.Domain.Data.DatabaseOptions
            {
                Provider = ControlPanel.Domain.Data.DatabaseProvider.Sqlite,
                ConnectionString = $"Data Source={Path.Combine(app.DataFolder, "controlpanel.db")}",
            });
            return new ControlPanel.Domain.Data.ControlPanelDbContext(builder.Options);
        }
    }

    /// <summary>Calls the check API <paramref name="count"/> times with the keys; returns each answer's error code (0 when allowed).</summary>
    private async Task<List<int>> CallAsync((string ApplicationKey, string ConsumerKey) keys, int count)
    {
        var codes = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/check");
            request.Headers.Add("APPLICATIONKEY", keys.ApplicationKey);
            request.Headers.Add("CONSUMERKEY", keys.ConsumerKey);
            using var response = await api.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode != System.Net.HttpStatusCode.NotFound, "GET /api/v1/check is missing: these tests need the key-validation API.");
            codes.Add(text.StartsWith('{') && JsonDocument.Parse(text).RootElement.TryGetProperty("Error", out var error) ? error.GetInt32() : 0);
        }
        return codes;
    }
}
