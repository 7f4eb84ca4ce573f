using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Pages.Webhooks;

namespace ControlPanel.Components.Tests.Webhooks;

/// <summary>The Event types page for each role, and the endpoint page's Replay tab.</summary>
public sealed class EventTypesPageTests : WebhookTest
{
    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Support)]
    public async Task Owners_and_support_read_every_event_type_with_its_schema_and_cannot_add(string role)
    {
        SignIn(role == Roles.Owner ? await NewOwnerAsync("Initech") : await NewStaffAsync(role));

        var page = Render<EventTypesPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=event-types]")));
        foreach (var name in WebhookEvents.Subscribable)
            Assert.NotEmpty(page.FindAll($"[data-testid=event-type-{name}]"));
        Assert.Contains("\"chat_id\"", page.Find("[data-testid=schema-chat_ended]").TextContent);
        Assert.Contains("c-42", page.Find("[data-testid=example-chat_ended]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=event-type-form]"));
    }

    [Fact]
    public async Task An_admin_adds_a_platform_event_type_and_a_bad_example_is_refused_at_its_field()
    {
        SignIn(await NewStaffAsync(Roles.Admin));
        var page = Render<EventTypesPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=event-type-form]")));

        page.Find("[data-testid=event-type-name]").Change("chat_rated");
        page.Find("[data-testid=event-type-description]").Change("A visitor rated a chat.");
        page.Find("[data-testid=event-type-schema]").Change("""{"type":"object","required":["rating"],"properties":{"rating":{"type":"integer"}}}""");
        page.Find("[data-testid=event-type-example]").Change("""{"rating":"five"}""");
        await page.Find("[data-testid=event-type-form]").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("does not meet the schema", page.Markup));

        page.Find("[data-testid=event-type-example]").Change("""{"rating":5}""");
        await page.Find("[data-testid=event-type-form]").SubmitAsync();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=event-type-chat_rated]")));
    }

    [Fact]
    public async Task The_endpoint_page_offers_replay_to_its_owner_and_shows_support_no_control()
    {
        var owner = await NewOwnerAsync("Initech");
        var endpoint = await NewEndpointAsync(owner);
        SignIn(owner);
        var page = Render<WebhookEndpointPage>(p => p.Add(x => x.Id, endpoint.EndpointId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=endpoint-title]")));
        await page.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Replay").ClickAsync(new());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=start-replay]")));
        await page.Find("[data-testid=start-replay]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("No events to replay", page.Markup));

        SignIn(await NewStaffAsync(Roles.Support));
        var support = Render<WebhookEndpointPage>(p => p.Add(x => x.Id, endpoint.EndpointId));
        support.WaitForAssertion(() => Assert.NotEmpty(support.FindAll("[data-testid=endpoint-title]")));
        await support.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Replay").ClickAsync(new());
        support.WaitForAssertion(() => Assert.NotEmpty(support.FindAll("[data-testid=replay]")));
        Assert.Empty(support.FindAll("[data-testid=start-replay]"));
    }
}
