using ControlPanel.Domain.Keys;
using ControlPanel.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ControlPanel.Components.Tests.Shared;

public sealed class DialogTests : ComponentTest
{
    private IDialogService DialogService => Context.Services.GetRequiredService<IDialogService>();

    [Fact]
    public async Task A_destructive_confirmation_asks_in_the_danger_colour_and_answers_true_only_when_confirmed()
    {
        RenderHosts();
        var answer = DialogService.ConfirmAsync("Revoke key pair", "Calls with it are refused at once.", "Revoke", danger: true);

        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        Assert.Equal("Revoke", confirm.TextContent.Trim());
        Assert.Contains("Calls with it are refused at once.", DialogHost.Markup);
        await confirm.ClickAsync(new());

        Assert.True(await answer);
    }

    [Fact]
    public async Task Cancelling_a_confirmation_answers_false()
    {
        RenderHosts();
        var answer = DialogService.ConfirmAsync("Take offline", "Calls answer 110.", "Take offline");

        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-primary", confirm.ClassName);
        await DialogHost.Find("[data-testid=confirm-cancel]").ClickAsync(new());

        Assert.False(await answer);
    }

    [Fact]
    public async Task Issued_keys_stay_on_screen_until_the_person_says_they_saved_them()
    {
        RenderHosts();
        var keys = new IssuedKeys(Guid.NewGuid(), new string('a', 32), new string('b', 32));
        var shown = DialogService.ShowIssuedKeysAsync(keys);

        DialogHost.WaitForElement("[data-testid=one-time-secret-dialog]");
        Assert.Equal(keys.ApplicationKey, DialogHost.Find("[data-testid=issued-application-key]").TextContent);
        Assert.Equal(keys.ConsumerKey, DialogHost.Find("[data-testid=issued-consumer-key]").TextContent);
        // A copy button for each key and one for the first call made with them.
        Assert.Equal(3, DialogHost.FindAll("[data-testid=copy]").Count);
        Assert.Contains($"-H 'APPLICATIONKEY: {keys.ApplicationKey}' -H 'CONSUMERKEY: {keys.ConsumerKey}'", DialogHost.Find("[data-testid=first-call-command]").TextContent);
        // No close icon, and neither Esc nor the backdrop closes it: the only way out is the button.
        Assert.Empty(DialogHost.FindAll(".mud-button-close"));
        Assert.False(shown.IsCompleted);

        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        await shown;
        Assert.Empty(DialogHost.FindAll("[data-testid=one-time-secret-dialog]"));
    }
}
