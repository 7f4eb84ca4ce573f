using ControlPanel.Domain.Keys;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Web.Components.Shared;

/// <summary>A secret shown once, with the label and test id it is shown under.</summary>
public sealed record OneTimeSecret(string Label, string Value, string TestId);

/// <summary>The dialogs every page uses the same way: confirming a change (with its reason, when it takes one) and showing a secret once.</summary>
public static class Dialogs
{
    /// <summary>Asks before a change; true when the person confirmed. Destructive changes pass <paramref name="danger"/>.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirmText, bool danger = false)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.Danger, danger },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    /// <summary>
    /// Asks before deleting something that cannot be undone: the yes is given only once <paramref name="name"/> is typed exactly,
    /// so the wrong application or account is not deleted by a quick click.
    /// </summary>
    public static async Task<bool> ConfirmByNameAsync(this IDialogService dialogs, string title, string message, string confirmText, string name)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.Danger, true },
            { d => d.ConfirmName, name },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    /// <summary>Asks before a change that takes a reason (shown to those it concerns); the reason typed, or null when cancelled.</summary>
    public static async Task<string?> AskReasonAsync(this IDialogService dialogs, string title, string message, string confirmText, string reasonLabel,
        int reasonMaxLength, bool danger = false)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.Danger, danger },
            { d => d.ReasonLabel, reasonLabel },
            { d => d.ReasonMaxLength, reasonMaxLength },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false, Data: string reason } ? reason : null;
    }

    /// <summary>Shows secrets the one time they exist; returns once the person says they saved them.</summary>
    public static async Task ShowOneTimeSecretsAsync(this IDialogService dialogs, string title, IReadOnlyList<OneTimeSecret> secrets, string intro,
        string savedText, RenderFragment? help = null)
    {
        var parameters = new DialogParameters<OneTimeSecretDialog>
        {
            { d => d.Secrets, secrets },
            { d => d.Intro, intro },
            { d => d.SavedText, savedText },
            { d => d.Help, help },
        };
        var options = new DialogOptions
        {
            CloseButton = false,
            CloseOnEscapeKey = false,
            BackdropClick = false,
            MaxWidth = MaxWidth.Small,
            FullWidth = true,
        };
        var dialog = await dialogs.ShowAsync<OneTimeSecretDialog>(title, parameters, options);
        await dialog.Result;
    }

    /// <summary>A newly issued key pair: the one time its keys are visible.</summary>
    public static Task ShowIssuedKeysAsync(this IDialogService dialogs, IssuedKeys keys, string title = "Your new key pair") =>
        dialogs.ShowOneTimeSecretsAsync(title,
            [
                new OneTimeSecret("APPLICATIONKEY", keys.ApplicationKey, "issued-application-key"),
                new OneTimeSecret("CONSUMERKEY", keys.ConsumerKey, "issued-consumer-key"),
            ],
            "ControlPanel keeps only a hash and the last four characters.",
            "I have saved the keys",
            builder =>
            {
                builder.OpenComponent<FirstCallCommand>(0);
                builder.AddComponentParameter(1, nameof(FirstCallCommand.Keys), keys);
                builder.CloseComponent();
            });
}
