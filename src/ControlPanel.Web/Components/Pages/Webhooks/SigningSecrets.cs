using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Webhooks;

/// <summary>Shows an endpoint's signing secret the one time it exists (when added and when rotated), and, when added, its verification secret.</summary>
public static class SigningSecrets
{
    public const string SavedText = "I have saved the secret";

    public static Task ShowSigningSecretAsync(this IDialogService dialogs, IssuedSecret issued, string title) =>
        dialogs.ShowOneTimeSecretsAsync(title,
            issued.VerificationSecret is { } verification
                ? [new OneTimeSecret("Signing secret", issued.Secret, "issued-secret"), new OneTimeSecret("Verification secret", verification, "issued-verification-secret")]
                : [new OneTimeSecret("Signing secret", issued.Secret, "issued-secret")],
            "ControlPanel keeps secrets encrypted and never shows them again; if one is lost, rotate or replace it on the endpoint's page.",
            SavedText,
            help: builder =>
            {
                builder.OpenComponent<SigningSecretHelp>(0);
                builder.AddComponentParameter(1, nameof(SigningSecretHelp.Secret), issued);
                builder.CloseComponent();
            });
}
