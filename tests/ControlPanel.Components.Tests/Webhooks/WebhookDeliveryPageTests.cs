using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Pages.Webhooks;

namespace ControlPanel.Components.Tests.Webhooks;

public sealed class WebhookDeliveryPageTests : WebhookTest
{
    protected override bool UsesPageClock => true;

    private IRenderedComponent<WebhookDeliveryPage> RenderDelivery(Guid id)
    {
        var page = Render<WebhookDeliveryPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=delivery-event-name]").Count + page.FindAll("[data-testid=not-found]").Count > 0));
        return page;
    }

    private async Task<(Viewer Owner, Guid DeliveryId)> DeliveredOnceAsync()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        var deliveryId = await NewDeliveryAsync(owner, endpoint.EndpointId);
        await RecordAttemptsAsync(deliveryId, WebhookAttemptOutcome.Delivered);
        return (owner, deliveryId);
    }

    [Fact]
    public async Task The_owner_sees_the_delivery_its_attempts_and_may_resend_it()
    {
        var (owner, deliveryId) = await DeliveredOnceAsync();
        SignIn(owner);

        var page = RenderDelivery(deliveryId);

        Assert.Equal(WebhookEvents.Test, page.Find("[data-testid=delivery-event-name]").TextContent);
        Assert.Equal("Delivered", page.Find("[data-testid=delivery-status]").TextContent.Trim());
        Assert.Equal("1 attempt", page.Find("[data-testid=delivery-attempt-count]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=attempt-number]").TextContent);
        Assert.Equal("200", page.Find("[data-testid=attempt-http-status]").TextContent);
        Assert.Equal("thanks", page.Find("[data-testid=attempt-response]").TextContent);

        await page.Find("[data-testid=resend-delivery]").ClickAsync(new());

        Snackbars.WaitForAssertion(() => Assert.Contains("Queued for another attempt now.", Snackbars.Markup));
        page.WaitForAssertion(() => Assert.Equal("Pending", page.Find("[data-testid=delivery-status]").TextContent.Trim()));
        Assert.NotEmpty(page.FindAll("[data-testid=next-attempt]"));
    }

    [Fact]
    public async Task Resending_to_a_disabled_endpoint_is_refused_in_a_snackbar()
    {
        var (owner, deliveryId) = await DeliveredOnceAsync();
        var endpointId = (await UseAsync<WebhookDeliveryLog, WebhookDeliveryLog.Details>(l => l.GetAsync(owner, deliveryId))).Delivery.EndpointId;
        await UseAsync<WebhookEndpointService, bool>(async e => { await e.DisableAsync(owner, endpointId); return true; });
        SignIn(owner);
        var page = RenderDelivery(deliveryId);

        await page.Find("[data-testid=resend-delivery]").ClickAsync(new());

        Snackbars.WaitForAssertion(() => Assert.Contains("Enable the endpoint before resending to it.", Snackbars.Markup));
        Assert.Equal("Delivered", page.Find("[data-testid=delivery-status]").TextContent.Trim());
    }

    [Fact]
    public async Task Support_reads_the_delivery_without_resend()
    {
        var (_, deliveryId) = await DeliveredOnceAsync();
        SignIn(await NewStaffAsync(Roles.Support));

        var page = RenderDelivery(deliveryId);

        Assert.Equal("Delivered", page.Find("[data-testid=delivery-status]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=resend-delivery]"));
        Assert.Equal("thanks", page.Find("[data-testid=attempt-response]").TextContent);
    }

    [Fact]
    public async Task An_admin_may_resend_any_accounts_delivery()
    {
        var (_, deliveryId) = await DeliveredOnceAsync();
        SignIn(Admin);

        var page = RenderDelivery(deliveryId);

        Assert.NotEmpty(page.FindAll("[data-testid=resend-delivery]"));
    }

    [Fact]
    public async Task Another_accounts_owner_gets_not_found()
    {
        var (_, deliveryId) = await DeliveredOnceAsync();
        SignIn(await NewOwnerAsync("Umbrella"));

        var page = RenderDelivery(deliveryId);

        Assert.NotEmpty(page.FindAll("[data-testid=not-found]"));
        Assert.Empty(page.FindAll("[data-testid=delivery-event-name]"));
    }

    [Fact]
    public async Task A_delivery_not_yet_attempted_says_so()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);

        var page = RenderDelivery(await NewDeliveryAsync(owner, endpoint.EndpointId));

        Assert.Equal("Pending", page.Find("[data-testid=delivery-status]").TextContent.Trim());
        Assert.Equal("0 attempts", page.Find("[data-testid=delivery-attempt-count]").TextContent);
        Assert.Contains("No attempt yet.", page.Find("[data-testid=attempts-empty]").TextContent);
    }

    [Fact]
    public async Task A_pending_deliverys_page_shows_its_attempt_on_the_next_second()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        var deliveryId = await NewDeliveryAsync(owner, endpoint.EndpointId);
        SignIn(owner);
        var page = RenderDelivery(deliveryId);
        Assert.Equal("0 attempts", page.Find("[data-testid=delivery-attempt-count]").TextContent);

        await RecordAttemptsAsync(deliveryId, WebhookAttemptOutcome.Delivered);
        Assert.Equal("0 attempts", page.Find("[data-testid=delivery-attempt-count]").TextContent);
        PageClock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("1 attempt", page.Find("[data-testid=delivery-attempt-count]").TextContent));
        Assert.Equal("Delivered", page.Find("[data-testid=delivery-status]").TextContent.Trim());
    }
}
