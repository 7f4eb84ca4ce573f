using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Pages.Webhooks;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace ControlPanel.Components.Tests.Webhooks;

public sealed class WebhookEndpointsTests : WebhookTest
{
    [Fact]
    public async Task A_new_owner_sees_the_empty_states_and_may_add_an_endpoint()
    {
        SignIn(await NewOwnerAsync("Initech"));

        var page = Render<WebhookEndpoints>();

        page.WaitForAssertion(() => Assert.Contains("No deliveries yet.", page.Find("[data-testid=deliveries-empty]").TextContent));
        Assert.Contains("No endpoints yet.", page.Find("[data-testid=endpoints-empty]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=add-endpoint]"));
        Assert.Equal("help/webhooks", page.Find("[data-testid=verify-help-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task Support_reads_every_accounts_endpoints_and_deliveries_but_cannot_add()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        await NewDeliveryAsync(owner, endpoint.EndpointId);
        SignIn(await NewStaffAsync(Roles.Support));

        var page = Render<WebhookEndpoints>();

        page.WaitForAssertion(() => Assert.Equal(PublicUrl, page.Find("[data-testid=endpoint-link]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=add-endpoint]"));
        Assert.Contains("Initech", page.Find("[data-testid=endpoints-grid]").TextContent);
        page.WaitForAssertion(() => Assert.Equal(WebhookEvents.Test, page.Find("[data-testid=delivery-event]").TextContent));
        Assert.Equal("Pending", page.Find("[data-testid=delivery-status-cell]").TextContent.Trim());
        Assert.Equal("0 attempts", page.Find("[data-testid=delivery-attempts]").TextContent);
    }

    [Fact]
    public async Task An_owner_sees_none_of_another_accounts_endpoints_or_deliveries()
    {
        var other = await NewOwnerAsync("Umbrella");
        var endpoint = await NewEndpointAsync(other);
        await NewDeliveryAsync(other, endpoint.EndpointId);
        SignIn(await NewOwnerAsync("Initech"));

        var page = Render<WebhookEndpoints>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=deliveries-empty]")));
        Assert.Empty(page.FindAll("[data-testid=endpoint-link]"));
        Assert.Empty(page.FindAll("[data-testid=delivery-link]"));
    }

    [Fact]
    public async Task The_delivery_log_pages_in_the_database_twenty_at_a_time()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        for (var i = 0; i < 23; i++) await NewDeliveryAsync(owner, endpoint.EndpointId);
        SignIn(owner);

        var page = Render<WebhookEndpoints>();

        page.WaitForAssertion(() => Assert.Equal(20, page.FindAll("[data-testid=delivery-link]").Count));
        Assert.Contains("1-20 of 23", page.Find("[data-testid=deliveries]").TextContent);
        await page.Find("[data-testid=deliveries] button[aria-label='Next page']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=delivery-link]").Count));
    }

    [Fact]
    public void Attempt_counts_are_singular_for_one()
    {
        Assert.Equal("1 attempt", Attempts.Count(1));
        Assert.Equal("2 attempts", Attempts.Count(2));
        Assert.Equal("0 attempts", Attempts.Count(0));
    }

    [Fact]
    public async Task The_delivery_filters_go_into_the_url_and_a_link_with_them_shows_the_log_filtered()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        var delivered = await NewDeliveryAsync(owner, endpoint.EndpointId);
        await RecordAttemptsAsync(delivered, WebhookAttemptOutcome.Delivered);
        await NewDeliveryAsync(owner, endpoint.EndpointId);
        SignIn(owner);
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        var page = Render<WebhookEndpoints>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=delivery-link]").Count));

        var status = page.FindComponent<MudSelect<WebhookDeliveryStatus?>>();
        await page.InvokeAsync(() => status.Instance.ValueChanged.InvokeAsync(WebhookDeliveryStatus.Delivered));

        Assert.Contains("status=Delivered", navigation.Uri);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=delivery-link]")));
        Assert.Equal("Delivered", page.Find("[data-testid=delivery-status-cell]").TextContent.Trim());

        // A reload, Back or a shared link opens the same filtered log.
        var reloaded = Render<WebhookEndpoints>();
        reloaded.WaitForAssertion(() => Assert.Single(reloaded.FindAll("[data-testid=delivery-link]")));
        Assert.Equal(WebhookDeliveryStatus.Delivered, reloaded.FindComponent<MudSelect<WebhookDeliveryStatus?>>().Instance.GetState(x => x.Value));
        navigation.NavigateTo("webhooks?status=Failed");
        var failed = Render<WebhookEndpoints>();
        failed.WaitForAssertion(() => Assert.Contains("No deliveries match these filters.", failed.Find("[data-testid=deliveries-empty]").TextContent));
    }

    [Fact]
    public async Task Each_delivery_has_a_compact_row_for_phones_linking_to_it_with_event_status_time_and_attempts()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        var delivery = await NewDeliveryAsync(owner, endpoint.EndpointId);
        await RecordAttemptsAsync(delivery, WebhookAttemptOutcome.HttpError, WebhookAttemptOutcome.Delivered);
        SignIn(owner);

        var page = Render<WebhookEndpoints>();

        var compact = page.WaitForElement("[data-testid=deliveries] tbody [data-testid=delivery-compact]");
        Assert.Equal($"webhooks/deliveries/{delivery}", compact.GetAttribute("href"));
        var lines = compact.QuerySelectorAll(".cp-delivery-compact-line");
        Assert.Equal(2, lines.Length);
        Assert.Contains(WebhookEvents.Test, lines[0].TextContent);
        Assert.Equal("Delivered", lines[0].QuerySelector("[data-testid=delivery-compact-status]")!.TextContent.Trim());
        Assert.Contains("UTC", lines[1].TextContent);
        Assert.Contains("2 attempts", lines[1].TextContent);
        // On a laptop the table's own cells show instead (app.css hides one or the other by width).
        Assert.Contains("cp-delivery-compact", compact.ParentElement!.ClassName);
        Assert.All(page.FindAll("[data-testid=deliveries] tbody td").Where(td => td != compact.ParentElement),
            td => Assert.Contains("cp-delivery-wide", td.ClassName));
    }
}
