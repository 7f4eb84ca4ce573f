using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Webhooks;

/// <summary>Shows an endpoint's signing secret the one time it exists (when added and when rotated).</summary>
public static class SigningSecrets
{
    public const string SavedText = "I have saved the secret";

    public static Task ShowSigningSecretAsync(this IDialogService dialogs, IssuedSecret issued, string title) =>
        dialogs.ShowOneTimeSecretsAsync(title,
            [new OneTimeSecret("Signing secret", issued.Secret, "issued-secret")],
            "ControlPanel keeps it encrypted to sign deliveries and never shows it again; if it is lost, rotate it.",
            SavedText,
            help: builder =>
            {
                builder.OpenComponent<SigningSecretHelp>(0);
                builder.AddComponentParameter(1, nameof(SigningSecretHelp.Secret), issued);
                builder.CloseComponent();
            });
}
