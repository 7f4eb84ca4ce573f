using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ApplicationsPage = ControlPanel.Web.Components.Pages.Applications.Applications;

namespace ControlPanel.Components.Tests.Applications;

public sealed class CreateApplicationDialogTests : ApplicationTest
{
    private NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    private async Task<IRenderedComponent<ApplicationsPage>> OpenDialogAsync()
    {
        var list = Render<ApplicationsPage>();
        // Not awaited: the click's handler waits for the dialog to close.
        list.WaitForElement("[data-testid=new-application]").Click();
        DialogHost.WaitForElement("[data-testid=create-application]");
        return list;
    }

    private async Task SubmitAsync() => await DialogHost.Find("[data-testid=create-application]").ClickAsync(new());

    // A field's message without its character counter ("Enter a name." of "Enter a name.0 / 80").
    private IReadOnlyList<string> FieldMessages() => DialogHost.FindAll(".mud-input-error")
        .Select(e => System.Text.RegularExpressions.Regex.Replace(e.TextContent.Trim(), @"\d+ / \d+$", "")).ToList();

    [Fact]
    public async Task An_empty_name_gets_a_message_at_the_field_and_nothing_is_created()
    {
        var owner = await NewOwnerAsync("Acme");
        SignIn(owner);
        await OpenDialogAsync();

        await SubmitAsync();

        DialogHost.WaitForAssertion(() => Assert.Contains("Enter a name.", FieldMessages()));
        Assert.DoesNotContain(FieldMessages(), m => m.Contains("field", StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(DialogHost.FindAll("[data-testid=create-application]"));
        Assert.Empty(await UseAsync<ApplicationService, IReadOnlyList<ApplicationService.Summary>>(s => s.ListAsync(owner)));

        // Owners create in their own account: no account choice.
        Assert.Empty(DialogHost.FindAll("[data-testid=create-account]"));
    }

    [Fact]
    public async Task The_dialog_opens_without_any_error_shown()
    {
        SignIn(await NewOwnerAsync("Acme"));
        await OpenDialogAsync();

        Assert.Empty(FieldMessages());
        Assert.DoesNotContain("Enter a name.", DialogHost.Markup);
    }

    [Fact]
    public async Task A_name_over_80_characters_is_kept_whole_counted_and_refused_at_the_field()
    {
        var owner = await NewOwnerAsync("Acme");
        SignIn(owner);
        await OpenDialogAsync();
        var name = new string('n', 85);

        Input(DialogHost, "application-name").Input(name);

        DialogHost.WaitForAssertion(() => Assert.Contains("85 / 80", DialogHost.Markup));
        DialogHost.WaitForAssertion(() => Assert.Contains("The name must be 2 to 80 characters.", FieldMessages()));
        // Not cut by the browser at 80: the 85 characters stay for the person to shorten.
        Assert.NotEqual("80", Input(DialogHost, "application-name").GetAttribute("maxlength"));
        Assert.Equal(name, Input(DialogHost, "application-name").GetAttribute("value"));
        await SubmitAsync();
        Assert.Empty(await UseAsync<ApplicationService, IReadOnlyList<ApplicationService.Summary>>(s => s.ListAsync(owner)));
    }

    [Fact]
    public async Task A_bad_default_view_gets_a_human_message_at_the_field()
    {
        SignIn(await NewOwnerAsync("Acme"));
        await OpenDialogAsync();

        Input(DialogHost, "application-name").Input("Storefront");
        Input(DialogHost, "application-view").Input("no/slashes");
        await SubmitAsync();

        DialogHost.WaitForAssertion(() => Assert.Contains("The view name uses letters, digits, spaces, '.', '_' or '-'.", FieldMessages()));
    }

    [Fact]
    public async Task A_duplicate_name_is_refused_at_the_field_only_not_a_second_time_in_a_snackbar()
    {
        var owner = await NewOwnerAsync("Acme");
        await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        await OpenDialogAsync();

        Input(DialogHost, "application-name").Input("storefront");
        await SubmitAsync();

        const string message = "An application named \"storefront\" already exists in this account. Choose another name.";
        DialogHost.WaitForAssertion(() => Assert.Contains(message, FieldMessages()));
        Assert.DoesNotContain("already exists in this account", Snackbars.Markup);
        Assert.Single(await UseAsync<ApplicationService, IReadOnlyList<ApplicationService.Summary>>(s => s.ListAsync(owner)));

        // Editing the name clears the message.
        Input(DialogHost, "application-name").Input("Storefront 2");
        DialogHost.WaitForAssertion(() => Assert.DoesNotContain(message, FieldMessages()));
    }

    [Fact]
    public async Task After_creating_the_keys_show_once_in_a_dialog_that_only_its_button_closes_then_the_application_opens()
    {
        var owner = await NewOwnerAsync("Acme");
        SignIn(owner);
        var list = await OpenDialogAsync();

        Input(DialogHost, "application-name").Input("Storefront");
        await SubmitAsync();

        var applicationKey = DialogHost.WaitForElement("[data-testid=issued-application-key]").TextContent;
        var consumerKey = DialogHost.Find("[data-testid=issued-consumer-key]").TextContent;
        Assert.Matches("^[0-9a-f]{32}$", applicationKey);
        Assert.Matches("^[0-9a-f]{32}$", consumerKey);
        // A first call with these very keys, to this installation's address, ready to paste.
        var command = DialogHost.Find("[data-testid=first-call-command]").TextContent;
        Assert.Contains($"-H 'APPLICATIONKEY: {applicationKey}' -H 'CONSUMERKEY: {consumerKey}' {Navigation.BaseUri}api/v1/check", command);
        Assert.Empty(DialogHost.FindAll("[data-testid=create-application]"));
        Assert.Empty(DialogHost.FindAll(".mud-button-close"));
        var created = Assert.Single(await UseAsync<ApplicationService, IReadOnlyList<ApplicationService.Summary>>(s => s.ListAsync(owner)));
        Assert.EndsWith(created.Id.ToString(), created.Id.ToString());

        // Behind the dialog the list already shows the application, never "No applications yet".
        list.WaitForAssertion(() => Assert.Equal("Storefront", list.Find("[data-testid=application-link]").TextContent));
        Assert.DoesNotContain("No applications yet", list.Markup);
        Assert.False(Navigation.Uri.EndsWith(created.Id.ToString()));

        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());

        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll("[data-testid=one-time-secret-dialog]")));
        Assert.EndsWith($"applications/{created.Id}", Navigation.Uri);
        Snackbars.WaitForAssertion(() => Assert.Contains("Created Storefront.", Snackbars.Markup));
    }

    [Fact]
    public async Task Cancelling_leaves_the_list_as_it_is()
    {
        SignIn(await NewOwnerAsync("Acme"));
        var list = await OpenDialogAsync();

        await DialogHost.Find("[data-testid=cancel-create]").ClickAsync(new());

        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll("[data-testid=create-application]")));
        Assert.NotEmpty(list.FindAll("[data-testid=applications-empty]"));
        Assert.Empty(DialogHost.FindAll("[data-testid=one-time-secret-dialog]"));
    }

    [Fact]
    public async Task An_admin_must_choose_the_account_and_creates_in_it()
    {
        var owner = await NewOwnerAsync("Acme");
        await NewOwnerAsync("Globex");
        SignIn(Admin);
        await OpenDialogAsync();

        Input(DialogHost, "application-name").Input("Storefront");
        await SubmitAsync();
        DialogHost.WaitForAssertion(() => Assert.Contains("Choose an account.", FieldMessages()));

        await ChooseAsync(DialogHost, "create-account", "Acme");
        await SubmitAsync();

        DialogHost.WaitForElement("[data-testid=issued-application-key]");
        var created = Assert.Single(await UseAsync<ApplicationService, IReadOnlyList<ApplicationService.Summary>>(s => s.ListAsync(owner)));
        Assert.Equal("Storefront", created.Name);
    }
}
