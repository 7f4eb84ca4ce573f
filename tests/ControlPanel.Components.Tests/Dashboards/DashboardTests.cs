using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Dashboards;

public sealed class DashboardTests : ComponentTest
{
    private async Task<ApplicationService.Created> CreateApplicationAsync(Viewer owner, string name, bool online = true) =>
        await UseAsync<ApplicationService, ApplicationService.Created>(s => s.CreateAsync(owner, new ApplicationService.Form { Name = name, IsOnline = online }));

    /// <summary>Real calls through the request check, then the usage and key-use flush the host runs every second.</summary>
    private async Task<List<int>> CallAsync(IssuedKeys keys, int calls)
    {
        var check = Services.GetRequiredService<RequestCheck>();
        var outcomes = new List<int>();
        for (var i = 0; i < calls; i++)
        {
            var decision = await check.CheckAsync(new CheckRequest
            {
                ApplicationKey = keys.ApplicationKey,
                ConsumerKey = keys.ConsumerKey,
                ClientIp = IPAddress.Parse($"203.0.113.{i % 250 + 1}"),
                IsHttps = true,
            });
            outcomes.Add(decision.Error?.Code ?? 0);
        }
        await Services.GetRequiredService<UsageMeter>().FlushAsync(Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        await Services.GetRequiredService<KeyIndex>().FlushUsesAsync();
        return outcomes;
    }

    [Fact]
    public async Task An_owner_over_quota_sees_the_application_its_quota_use_and_a_103_alert()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        var storefront = await CreateApplicationAsync(owner, "Storefront");
        await CreateApplicationAsync(owner, "Backoffice");
        await UseAsync<AdminControls, bool>(async a => { await a.SetQuotaAsync(Admin, storefront.Application.Id, 5, 0); return true; });
        Assert.Equal([0, 0, 0, 0, 0, 103, 103], await CallAsync(storefront.Keys, 7));
        SignIn(owner);

        var page = Render<Home>();

        Assert.Equal("Acme Ltd", page.Find("[data-testid=owner-dashboard]").TextContent.Trim());
        var cards = page.FindAll("[data-testid=dashboard-application]");
        Assert.Equal(2, cards.Count);
        var card = cards.Single(c => c.QuerySelector("[data-testid=dashboard-application-name]")!.TextContent.Trim() == "Storefront");
        Assert.Equal("Online", card.QuerySelector("[data-testid=application-status]")!.TextContent.Trim());
        Assert.Equal("Development", card.QuerySelector("[data-testid=application-environment]")!.TextContent.Trim());
        Assert.Equal("5 of 5 calls, 100 %", card.QuerySelector("[data-testid=quota-text]")!.TextContent.Trim());
        Assert.Equal("Spent", card.QuerySelector("[data-testid=quota-bar]")!.GetAttribute("data-level"));
        Assert.Contains("mud-progress-linear-color-error", card.QuerySelector("[data-testid=quota-bar]")!.ClassName);

        var spent = page.Find("[data-testid=dashboard-alert][data-kind=QuotaSpent]");
        Assert.Contains("Storefront has used its monthly quota", spent.TextContent);
        Assert.Contains("103 API CALL QUOTA LIMIT EXCEEDED", spent.TextContent);
        // Storefront's keys were used; Backoffice's were not.
        var unused = page.FindAll("[data-testid=dashboard-alert][data-kind=NoKeyUsedYet]");
        Assert.Equal("Backoffice", Assert.Single(unused).TextContent.Split("'s keys")[0].Trim());
        Assert.Empty(page.FindAll("[data-testid=first-application]"));
    }

    [Fact]
    public async Task An_owner_in_overrun_sees_the_allowance_left_and_an_offline_application()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        var storefront = await CreateApplicationAsync(owner, "Storefront");
        await CreateApplicationAsync(owner, "Legacy", online: false);
        await UseAsync<AdminControls, bool>(async a => { await a.SetQuotaAsync(Admin, storefront.Application.Id, 4, 10); return true; });
        Assert.All(await CallAsync(storefront.Keys, 6), code => Assert.Equal(0, code));
        SignIn(owner);

        var page = Render<Home>();

        Assert.Contains("6 of 4 calls, 150 %", page.Markup);
        Assert.Contains("Storefront is over its monthly quota: its calls now use the overrun allowance (8 of 10 calls left).",
            page.Find("[data-testid=dashboard-alert][data-kind=InOverrun]").TextContent);
        Assert.Contains("Legacy is offline", page.Find("[data-testid=dashboard-alert][data-kind=Offline]").TextContent);
        var legacy = page.FindAll("[data-testid=dashboard-application]").Single(c => c.TextContent.Contains("Legacy"));
        Assert.Equal("Offline", legacy.QuerySelector("[data-testid=application-status]")!.TextContent.Trim());
        Assert.Equal("0 of 1,000,000 calls, 0 %", legacy.QuerySelector("[data-testid=quota-text]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Getting_started_shows_first_calls_that_work_against_this_installations_address_with_a_copy_button_each()
    {
        SignIn(await NewOwnerAsync("Acme Ltd"));
        var baseUri = Context.Services.GetRequiredService<NavigationManager>().BaseUri;

        var page = Render<Home>();

        // bUnit's address is plain HTTP on this machine and the installation requires HTTPS: this machine is a trusted proxy
        // (the shipped Api:TrustedProxies), so the commands say the call was HTTPS, as a TLS-ending gateway would, and never answer 101.
        var panel = page.Find("[data-testid=getting-started]");
        Assert.Equal($"curl -i -H 'X-Forwarded-Proto: https' -H \"APPLICATIONKEY: $APPLICATIONKEY\" -H \"CONSUMERKEY: $CONSUMERKEY\" {baseUri}api/v1/check",
            panel.QuerySelector("[data-testid=curl-check]")!.TextContent);
        Assert.Equal($"curl -X POST -H 'X-Forwarded-Proto: https' {baseUri}api/v1/verify -H \"Content-Type: application/json\" -d \"{{\\\"applicationKey\\\": \\\"$APPLICATIONKEY\\\", \\\"consumerKey\\\": \\\"$CONSUMERKEY\\\"}}\"",
            panel.QuerySelector("[data-testid=curl-verify]")!.TextContent);
        Assert.Equal($"curl -X POST -H 'X-Forwarded-Proto: https' -H \"APPLICATIONKEY: $APPLICATIONKEY\" -H \"CONSUMERKEY: $CONSUMERKEY\" {baseUri}api/v1/session",
            panel.QuerySelector("[data-testid=curl-session]")!.TextContent);
        Assert.Equal(4, panel.QuerySelectorAll("[data-testid=copy]").Length);
        Assert.NotNull(panel.QuerySelector("[data-testid=forwarded-proto-note]"));
        Assert.Null(panel.QuerySelector("[data-testid=https-note]"));
    }

    [Fact]
    public async Task The_owners_dashboard_shows_at_once_that_an_Admin_suspended_an_application_in_the_words_of_its_page()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        var created = await CreateApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var page = Render<Home>();
        Assert.Equal("Online", page.Find("[data-testid=application-status]").TextContent.Trim());

        // Elsewhere, an Admin takes it offline: no refresh here.
        await UseAsync<AdminControls, bool>(async controls =>
        {
            await controls.SetOnlineAsync(Admin, created.Application.Id, false, "Unpaid invoice");
            return true;
        });

        page.WaitForAssertion(() => Assert.Equal("Suspended", page.Find("[data-testid=application-status]").TextContent.Trim()));
        Assert.Contains("Storefront is suspended by an Admin", page.Find("[data-kind=Offline]").TextContent);
    }

    [Fact]
    public async Task An_owner_with_no_applications_is_asked_to_create_the_first_one()
    {
        SignIn(await NewOwnerAsync("Brand New"));

        var page = Render<Home>();

        var action = page.Find("[data-testid=create-first-application]");
        Assert.Equal("applications", action.GetAttribute("href"));
        Assert.Contains("Create your first application", action.TextContent);
        Assert.Empty(page.FindAll("[data-testid=dashboard-application]"));
        Assert.Empty(page.FindAll("[data-testid=dashboard-alert]"));
    }

    [Fact]
    public async Task A_locked_owner_is_told_their_calls_are_refused_with_225()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        await UseAsync<AdminControls, bool>(async a => { await a.SetAccountLockedAsync(Admin, owner.AccountId!.Value, true, "Unpaid invoices"); return true; });
        SignIn(owner);

        var page = Render<Home>();

        Assert.Equal("Locked", page.Find("[data-testid=account-locked]").TextContent.Trim());
        Assert.Contains("225 ACCOUNT IS LOCKED", page.Find("[data-testid=dashboard-alert][data-kind=AccountLocked]").TextContent);
    }

    [Fact]
    public async Task An_admin_sees_the_stats_and_refresh_reloads_them_with_the_time_from_the_clock()
    {
        var acme = await NewOwnerAsync("Acme Ltd");
        await CreateApplicationAsync(acme, "Storefront");
        await CreateApplicationAsync(acme, "Legacy", online: false);
        await UseAsync<AdminControls, bool>(async a => { await a.SetAccountLockedAsync(Admin, acme.AccountId!.Value, true, "Unpaid invoices"); return true; });
        SignIn(Admin);
        var clock = Services.GetRequiredService<TimeProvider>();

        var before = clock.GetUtcNow();
        var page = Render<Home>();
        var after = clock.GetUtcNow();

        Assert.Equal("Administration", page.Find("[data-testid=admin-dashboard]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=stat-accounts]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=stat-locked]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=stat-owners]").TextContent);
        Assert.Equal("2", page.Find("[data-testid=stat-applications]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=stat-offline]").TextContent);
        Assert.Equal("0", page.Find("[data-testid=stat-over-quota]").TextContent);
        var shown = Regex.Match(page.Find("[data-testid=refreshed-at]").TextContent, @"^Updated (\d\d:\d\d:\d\d) UTC$");
        Assert.True(shown.Success, page.Find("[data-testid=refreshed-at]").TextContent);
        Assert.Contains(shown.Groups[1].Value, new[] { before.ToString("HH:mm:ss"), after.ToString("HH:mm:ss") });

        await NewOwnerAsync("Globex");
        await page.Find("[data-testid=refresh]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=stat-accounts]").TextContent));
    }

    [Fact]
    public async Task Support_sees_the_stats_without_the_admin_pages()
    {
        await NewOwnerAsync("Acme Ltd");
        SignIn(await NewStaffAsync(Roles.Support));

        var page = Render<Home>();

        Assert.Equal("Support", page.Find("[data-testid=support-dashboard]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=stat-accounts]").TextContent);
        Assert.NotNull(page.Find("[data-testid=refresh]"));
        Assert.Empty(page.FindAll("[data-testid=getting-started]"));
    }
}
