using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Pages.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Webhooks;

public sealed class WebhookEndpointPageTests : WebhookTest
{
    private static readonly string[] ChangeControls =
        ["send-test", "rotate-secret", "rotate-overlap", "disable-endpoint", "save-endpoint", "verification-secret", "save-verification-secret", "generate-verification-secret"];

    private IRenderedComponent<WebhookEndpointPage> RenderEndpoint(Guid id)
    {
        var page = Render<WebhookEndpointPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=endpoint-title]").Count + page.FindAll("[data-testid=not-found]").Count > 0));
        return page;
    }

    private static async Task OpenTabAsync(IRenderedComponent<WebhookEndpointPage> page, string name) =>
        await page.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == name).ClickAsync(new());

    [Fact]
    public async Task The_owner_sees_the_endpoint_with_every_change_control()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);

        var page = RenderEndpoint(endpoint.EndpointId);

        Assert.Equal(PublicUrl, page.Find("[data-testid=endpoint-title]").TextContent);
        Assert.Equal("H1", page.Find("[data-testid=endpoint-title]").TagName);
        Assert.Equal("Enabled", page.Find("[data-testid=endpoint-status]").TextContent.Trim());
        foreach (var control in ChangeControls) Assert.NotEmpty(page.FindAll($"[data-testid={control}]"));
        Assert.Equal(endpoint.SecretId, page.Find("[data-testid=secret-id]").TextContent);
        Assert.DoesNotContain(endpoint.Secret, page.Markup);
        Assert.Equal("help/webhooks", page.Find("[data-testid=verify-help-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task Support_reads_the_endpoint_without_any_change_control()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner, PublicUrl, WebhookEvents.ChatEnded, WebhookEvents.KeyRevoked);
        SignIn(await NewStaffAsync(Roles.Support));

        var page = RenderEndpoint(endpoint.EndpointId);

        Assert.Equal(PublicUrl, page.Find("[data-testid=endpoint-title]").TextContent);
        foreach (var control in ChangeControls) Assert.Empty(page.FindAll($"[data-testid={control}]"));
        Assert.Empty(page.FindAll("[data-testid=endpoint-form]"));
        Assert.Contains(WebhookEvents.KeyRevoked, page.Find("[data-testid=endpoint-events-list]").TextContent);
        Assert.Contains("Initech", page.Markup);
    }

    [Fact]
    public async Task An_admin_may_change_any_accounts_endpoint()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(Admin);

        var page = RenderEndpoint(endpoint.EndpointId);

        foreach (var control in ChangeControls) Assert.NotEmpty(page.FindAll($"[data-testid={control}]"));
    }

    [Fact]
    public async Task Another_accounts_owner_gets_not_found()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(await NewOwnerAsync("Umbrella"));

        var page = RenderEndpoint(endpoint.EndpointId);

        Assert.NotEmpty(page.FindAll("[data-testid=not-found]"));
        Assert.DoesNotContain(PublicUrl, page.Markup);
    }

    [Fact]
    public async Task Rotating_with_an_overlap_shows_the_new_secret_once_and_the_old_one_still_signing()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        Assert.Empty(page.FindAll("[data-testid=previous-secret]"));
        var rotating = page.Find("[data-testid=rotate-secret]").ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.DoesNotContain("mud-button-filled-error", confirm.ClassName); // the default overlap (24 hours) breaks no receiver
        Assert.Contains("24 hours", DialogHost.Markup);
        await confirm.ClickAsync(new());

        var secret = DialogHost.WaitForElement("[data-testid=issued-secret]").TextContent;
        Assert.StartsWith(WebhookSecrets.SecretPrefix, secret);
        Assert.NotEqual(endpoint.Secret, secret);
        Assert.Equal("help/webhooks", DialogHost.Find("[data-testid=verify-help-link]").GetAttribute("href"));
        Assert.False(rotating.IsCompleted);
        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        await rotating;

        var now = await UseAsync<WebhookEndpointService, WebhookEndpointService.Details>(e => e.GetAsync(owner, endpoint.EndpointId));
        Assert.NotEqual(endpoint.SecretId, now.SecretId);
        page.WaitForAssertion(() => Assert.Equal(now.SecretId, page.Find("[data-testid=secret-id]").TextContent));
        Assert.Contains(endpoint.SecretId, page.Find("[data-testid=previous-secret]").TextContent);
        Assert.Equal(endpoint.SecretId, now.PreviousSecretId);
    }

    [Fact]
    public async Task The_owner_sets_a_typed_verification_secret_which_the_page_never_shows()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);
        Assert.DoesNotContain(endpoint.VerificationSecret!, page.Markup);

        page.Find("input[data-testid=verification-secret]").Input("short");
        await page.Find("[data-testid=save-verification-secret]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("8 to 200 characters", page.Find("[data-testid=endpoint-secrets]").TextContent));

        page.Find("input[data-testid=verification-secret]").Input("yoursecret-1234");
        await page.Find("[data-testid=save-verification-secret]").ClickAsync(new());
        Snackbars.WaitForAssertion(() => Assert.Contains("Set the verification secret.", Snackbars.Markup));
        Assert.DoesNotContain("yoursecret-1234", page.Markup);
        Assert.Contains("Set ", page.Find("[data-testid=verification-secret-state]").TextContent);
        var sent = await UseAsync<WebhookSecrets, string>(async secrets =>
        {
            await using var db = await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ControlPanel.Domain.Data.ControlPanelDbContext>>().CreateDbContextAsync();
            var stored = await db.WebhookEndpoints.FindAsync(endpoint.EndpointId);
            return secrets.UnprotectVerification(stored!.ProtectedVerificationSecret!);
        });
        Assert.Equal("yoursecret-1234", sent);
    }

    [Fact]
    public async Task Generating_a_verification_secret_confirms_then_shows_it_once()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        var generating = page.Find("[data-testid=generate-verification-secret]").ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        var shown = DialogHost.WaitForElement("[data-testid=issued-verification-secret]").TextContent;
        Assert.Equal(32, shown.Length);
        Assert.NotEqual(endpoint.VerificationSecret, shown);
        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        await generating;
        Assert.DoesNotContain(shown, page.Markup);
    }

    [Fact]
    public async Task Support_sees_when_the_secrets_were_set_but_neither_secret_nor_any_way_to_change_them()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(await NewStaffAsync(Roles.Support));

        var page = RenderEndpoint(endpoint.EndpointId);

        Assert.Contains("Set ", page.Find("[data-testid=verification-secret-state]").TextContent);
        Assert.DoesNotContain(endpoint.VerificationSecret!, page.Markup);
        Assert.DoesNotContain(endpoint.Secret, page.Markup);
        Assert.Empty(page.FindAll("[data-testid=rotate-secret-controls]"));
        Assert.Empty(page.FindAll("[data-testid=generate-verification-secret]"));
    }

    [Fact]
    public async Task Cancelling_the_rotation_keeps_the_secret()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        var rotating = page.Find("[data-testid=rotate-secret]").ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm-cancel]").ClickAsync(new());
        await rotating;

        Assert.Empty(DialogHost.FindAll("[data-testid=issued-secret]"));
        var now = await UseAsync<WebhookEndpointService, WebhookEndpointService.Details>(e => e.GetAsync(owner, endpoint.EndpointId));
        Assert.Equal(endpoint.SecretId, now.SecretId);
    }

    [Fact]
    public async Task Disabling_confirms_in_the_danger_colour_and_the_page_shows_it_disabled()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        var disabling = page.Find("[data-testid=disable-endpoint]").ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        await confirm.ClickAsync(new());
        await disabling;

        page.WaitForAssertion(() => Assert.Equal("Disabled", page.Find("[data-testid=endpoint-status]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=disable-endpoint]"));
        Assert.True(page.Find("[data-testid=send-test]").HasAttribute("disabled"));
        Snackbars.WaitForAssertion(() => Assert.Contains("Disabled the endpoint.", Snackbars.Markup));
    }

    [Fact]
    public async Task Sending_a_test_event_confirms_in_a_snackbar_and_links_its_delivery()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        await page.Find("[data-testid=send-test]").ClickAsync(new());

        Snackbars.WaitForAssertion(() => Assert.Contains("Test event queued.", Snackbars.Markup));
        var delivery = Assert.Single((await UseAsync<WebhookDeliveryLog, WebhookDeliveryLog.Page>(l => l.SearchAsync(owner, new()))).Rows);
        Assert.Equal($"webhooks/deliveries/{delivery.Id}", page.Find("[data-testid=test-delivery-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_double_click_on_send_test_event_sends_one()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        // A double click is two clicks, the second with detail 2, as browsers send them.
        var button = page.Find("[data-testid=send-test]");
        var first = button.ClickAsync(new() { Detail = 1 });
        await page.Find("[data-testid=send-test]").ClickAsync(new() { Detail = 2 });
        await first;

        Snackbars.WaitForAssertion(() => Assert.Contains("Test event queued.", Snackbars.Markup));
        Assert.Single((await UseAsync<WebhookDeliveryLog, WebhookDeliveryLog.Page>(l => l.SearchAsync(owner, new()))).Rows);
    }

    [Fact]
    public async Task Saving_a_refused_address_says_why_at_the_url_and_where_to_look_beside_save()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        page.Find("[data-testid=endpoint-url]").Change("https://127.0.0.1/hook");
        await page.Find("[data-testid=endpoint-form]").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("Not saved: see the message at the URL.", page.Find("[data-testid=save-error]").TextContent.Trim()));
        Assert.DoesNotContain("127.0.0.1", Snackbars.Markup);
        Assert.Contains("127.0.0.1", page.Find("[data-testid=endpoint-url]").Closest(".mud-input-control")!.TextContent);
        var now = await UseAsync<WebhookEndpointService, WebhookEndpointService.Details>(e => e.GetAsync(owner, endpoint.EndpointId));
        Assert.Equal(PublicUrl, now.Url);
    }

    [Fact]
    public async Task The_success_rate_shows_a_failed_hour_and_says_1_attempt()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        await RecordAttemptsAsync(await NewDeliveryAsync(owner, endpoint.EndpointId), WebhookAttemptOutcome.HttpError);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        await OpenTabAsync(page, "Success rate");

        page.WaitForAssertion(() => Assert.Equal("1 attempt, 0 % succeeded.", page.Find("[data-testid=rate-24h-summary]").TextContent));
        // A 0 % hour still draws: its failed share fills the bar. Hours with no attempts are gaps, not red 0 % bars.
        Assert.NotNull(page.Find("[data-testid=rate-24h-apex]"));
        Assert.Empty(page.FindAll("[data-testid=rate-24h-empty]"));
        var series = System.Text.Json.Nodes.JsonNode.Parse(page.FindComponents<ControlPanel.Web.Components.Charts.ApexChart>()
            .Single(c => c.Instance.TestId == "rate-24h-apex").Instance.Json)!["series"]!;
        var failed = series[1]!["data"]!.AsArray().Select(p => (double?)p!["y"]).ToList();
        Assert.Equal(100, failed.Single(y => y is not null));
        Assert.Equal(failed.Count - 1, failed.Count(y => y is null));
    }

    [Fact]
    public async Task An_endpoint_without_attempts_shows_an_empty_state_instead_of_bare_axes()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);

        await OpenTabAsync(page, "Success rate");

        page.WaitForAssertion(() => Assert.Contains("No attempts in this period.", page.Find("[data-testid=rate-30d-empty]").TextContent));
    }

    [Fact]
    public async Task Turning_a_disabled_endpoint_back_on_offers_to_replay_what_it_missed_since_it_was_disabled()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        await UseAsync<WebhookEndpointService, bool>(async e => { await e.DisableAsync(owner, endpoint.EndpointId); return true; });
        var disabledAt = (await UseAsync<WebhookEndpointService, WebhookEndpointService.Details>(e => e.GetAsync(owner, endpoint.EndpointId))).DisabledAt!.Value;
        SignIn(owner);
        var page = RenderEndpoint(endpoint.EndpointId);
        Assert.Empty(page.FindAll("[data-testid=offer-replay]"));

        var enabled = page.Find("[data-testid=endpoint-enabled]");
        (enabled.TagName == "INPUT" ? enabled : enabled.QuerySelector("input")!).Change(true);
        await page.Find("[data-testid=endpoint-form]").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains(disabledAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=offer-replay]").TextContent));
        await page.Find("[data-testid=offer-replay-button]").ClickAsync(new());
        // The Replay tab opens with everything since the endpoint was disabled filled in.
        page.WaitForAssertion(() => Assert.Equal(
            disabledAt.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
            page.Find("[data-testid=replay-since]").GetAttribute("value")));
        Assert.Empty(page.FindAll("[data-testid=offer-replay]"));
    }
}
