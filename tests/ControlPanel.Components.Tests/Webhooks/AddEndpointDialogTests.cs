using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Pages.Webhooks;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Webhooks;

public sealed class AddEndpointDialogTests : WebhookTest
{
    /// <summary>Clicks "Add endpoint"; the returned task ends when the page's whole add flow (dialog, then secret) has.</summary>
    private Task OpenDialog()
    {
        var page = Render<WebhookEndpoints>();
        var adding = page.WaitForElement("[data-testid=add-endpoint]").ClickAsync(new());
        DialogHost.WaitForElement("[data-testid=add-endpoint-dialog]");
        return adding;
    }

    private Task SubmitAsync() => DialogHost.Find("[data-testid=add-endpoint-form]").SubmitAsync();

    [Fact]
    public async Task Validation_shows_at_each_field_in_words_a_person_would_write()
    {
        SignIn(await NewOwnerAsync("Initech"));
        _ = OpenDialog();

        await SubmitAsync();

        DialogHost.WaitForAssertion(() => Assert.Contains("Choose at least one event.", DialogHost.Find("[data-testid=events-error]").TextContent));
        Assert.Contains("Enter the URL.", DialogHost.Find("[data-testid=add-endpoint-form]").TextContent);
        Assert.DoesNotContain("field is required", DialogHost.Markup);
        // Production: no advice about local receivers.
        Assert.Empty(DialogHost.FindAll("[data-testid=local-receiver-advice]"));
        // Ticking an event takes its message away at once.
        await DialogHost.Find("[data-testid=event-chat_ended]").ChangeAsync(new() { Value = true });
        DialogHost.WaitForAssertion(() => Assert.DoesNotContain("Choose at least one event.", DialogHost.Find("[data-testid=events-error]").TextContent));
    }

    [Fact]
    public async Task Every_event_is_a_checkbox_with_its_name_and_description_beside_it()
    {
        SignIn(await NewOwnerAsync("Initech"));
        _ = OpenDialog();

        foreach (var name in WebhookEvents.Subscribable)
        {
            var row = DialogHost.Find($"[data-testid=event-row-{name}]");
            Assert.Equal("checkbox", row.QuerySelector($"[data-testid=event-{name}]")!.GetAttribute("type"));
            Assert.Equal(name, row.QuerySelector("code")!.TextContent);
            Assert.Contains(WebhookEvents.Describe(name), row.TextContent);
        }
    }

    [Fact]
    public async Task A_refused_address_is_said_once_at_the_url_with_a_pointer_beside_the_add_button_and_the_dialog_stays()
    {
        SignIn(await NewOwnerAsync("Initech"));
        _ = OpenDialog();
        DialogHost.Find("[data-testid=endpoint-url]").Change("https://10.0.0.5/hook");
        await DialogHost.Find("[data-testid=event-chat_ended]").ChangeAsync(new() { Value = true });

        await SubmitAsync();

        var error = DialogHost.WaitForElement("[data-testid=add-endpoint-error]");
        Assert.Equal("Not added: see the message at the URL.", error.TextContent.Trim());
        // In the action row, next to the button, not above the form.
        Assert.NotNull(error.Closest(".mud-dialog-actions"));
        Assert.NotNull(DialogHost.Find("[data-testid=create-endpoint]").Closest(".mud-dialog-actions"));
        Assert.Contains("public addresses", DialogHost.Find("[data-testid=endpoint-url]").Closest(".mud-input-control")!.TextContent);
        Assert.Contains("10.0.0.5", DialogHost.Find("[data-testid=endpoint-url]").Closest(".mud-input-control")!.TextContent);
        // Said once: not again in a snackbar.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(DialogHost.Markup + Snackbars.Markup, "public addresses"));
        Assert.Empty(await UseAsync<WebhookEndpointService, IReadOnlyList<WebhookEndpointService.Summary>>(e => e.ListAsync(Admin)));
    }

    [Fact]
    public async Task A_typed_verification_secret_is_checked_at_its_field_and_shown_once_beside_the_signing_secret()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(owner);
        var adding = OpenDialog();
        DialogHost.Find("[data-testid=endpoint-url]").Change(PublicUrl);
        await DialogHost.Find("[data-testid=event-chat_ended]").ChangeAsync(new() { Value = true });
        DialogHost.Find("[data-testid=endpoint-verification-secret]").Change("short");

        await SubmitAsync();
        DialogHost.WaitForAssertion(() => Assert.Contains("8 to 200 characters",
            DialogHost.Find("[data-testid=endpoint-verification-secret]").Closest(".mud-input-control")!.TextContent));

        DialogHost.Find("[data-testid=endpoint-verification-secret]").Change("yoursecret-1234");
        await SubmitAsync();
        Assert.Equal("yoursecret-1234", DialogHost.WaitForElement("[data-testid=issued-verification-secret]").TextContent);
        Assert.StartsWith(WebhookSecrets.SecretPrefix, DialogHost.Find("[data-testid=issued-secret]").TextContent);
        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        await adding;
    }

    [Fact]
    public async Task Adding_shows_the_signing_secret_once_with_the_help_link_and_only_its_button_closes_it()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(owner);
        var adding = OpenDialog();
        DialogHost.Find("[data-testid=endpoint-url]").Change(PublicUrl);
        await DialogHost.Find("[data-testid=event-chat_ended]").ChangeAsync(new() { Value = true });

        await SubmitAsync();

        var secret = DialogHost.WaitForElement("[data-testid=issued-secret]").TextContent;
        Assert.StartsWith(WebhookSecrets.SecretPrefix, secret);
        Assert.Empty(DialogHost.FindAll("[data-testid=add-endpoint-dialog]"));
        var help = DialogHost.Find("[data-testid=verify-help-link]");
        Assert.Equal("help/webhooks", help.GetAttribute("href"));
        Assert.DoesNotContain("README", DialogHost.Markup);
        Assert.Equal(SigningSecrets.SavedText, DialogHost.Find("[data-testid=dismiss-secrets]").TextContent.Trim());
        Assert.Empty(DialogHost.FindAll(".mud-button-close"));
        Assert.False(adding.IsCompleted);

        var endpoint = Assert.Single(await UseAsync<WebhookEndpointService, IReadOnlyList<WebhookEndpointService.Summary>>(e => e.ListAsync(owner)));
        var details = await UseAsync<WebhookEndpointService, WebhookEndpointService.Details>(e => e.GetAsync(owner, endpoint.Id));
        Assert.Equal(details.SecretId, DialogHost.Find("[data-testid=issued-secret-id]").TextContent);

        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        await adding;
        Assert.Empty(DialogHost.FindAll("[data-testid=one-time-secret-dialog]"));
        Assert.EndsWith($"/webhooks/{endpoint.Id}", Context.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task An_admin_chooses_the_account_to_add_to()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(Admin);
        _ = OpenDialog();
        DialogHost.Find("[data-testid=endpoint-url]").Change(PublicUrl);
        await DialogHost.Find("[data-testid=event-chat_ended]").ChangeAsync(new() { Value = true });

        await SubmitAsync();

        DialogHost.WaitForAssertion(() => Assert.Contains("Choose an account.", DialogHost.Find("[data-testid=add-endpoint-dialog]").TextContent));
        Assert.Empty(await UseAsync<WebhookEndpointService, IReadOnlyList<WebhookEndpointService.Summary>>(e => e.ListAsync(owner)));
    }

    [Fact]
    public async Task A_throttle_typed_as_5k_is_refused_at_its_field_and_nothing_is_added_and_digits_are_read()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(owner);
        var adding = OpenDialog();
        DialogHost.Find("[data-testid=endpoint-url]").Change(PublicUrl);
        await DialogHost.Find("[data-testid=event-chat_ended]").ChangeAsync(new() { Value = true });
        DialogHost.Find("[data-testid=endpoint-throttle]").Change("5k");

        await SubmitAsync();

        DialogHost.WaitForAssertion(() => Assert.Contains("Enter the deliveries per second as a whole number in digits",
            DialogHost.Find("[data-testid=add-endpoint-form]").TextContent));
        Assert.NotNull(DialogHost.Find("[data-testid=add-endpoint-dialog]"));
        Assert.Empty(await UseAsync<WebhookEndpointService, IReadOnlyList<WebhookEndpointService.Summary>>(e => e.ListAsync(owner)));

        // Digits are read, the message goes, and the number is what is saved.
        DialogHost.Find("[data-testid=endpoint-throttle]").Change("5");
        DialogHost.WaitForAssertion(() => Assert.DoesNotContain("as a whole number", DialogHost.Find("[data-testid=add-endpoint-form]").TextContent));
        await SubmitAsync();
        await DialogHost.WaitForElement("[data-testid=dismiss-secrets]").ClickAsync(new());
        await adding;
        var endpoint = Assert.Single(await UseAsync<WebhookEndpointService, IReadOnlyList<WebhookEndpointService.Summary>>(e => e.ListAsync(owner)));
        Assert.Equal(5, (await UseAsync<WebhookEndpointService, WebhookEndpointService.Details>(e => e.GetAsync(owner, endpoint.Id))).MaxDeliveriesPerSecond);
    }
}
