using System.Security.Claims;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Origins;
using ControlPanel.Web.Components.Account;
using ControlPanel.Web.Components.Pages.Applications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Api.Tests;

/// <summary>The allowlist tab rendered on the server with the framework's HtmlRenderer (bUnit does not restore here).</summary>
public sealed class AllowlistTabTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    [Fact]
    public async Task The_tab_shows_the_normalised_list_and_the_editor_only_to_those_who_may_change_it()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "HTTPS://App.Example.COM:443/\n10.1.2.3/8\n10.0.0.0/8"));

        var editable = await RenderAsync(application, canChange: true);
        Assert.Contains("data-testid=\"save-allowlist\"", editable);
        Assert.Contains("<code data-testid=\"allowlist-entry\">https://app.example.com</code>", editable);
        Assert.Contains("<code data-testid=\"allowlist-entry\">10.0.0.0/8</code>", editable);
        Assert.Equal(2, editable.Split("data-testid=\"allowlist-entry\"").Length - 1);

        var readOnly = await RenderAsync(application, canChange: false);
        Assert.DoesNotContain("save-allowlist", readOnly);
        Assert.Contains("https://app.example.com", readOnly);
    }

    private async Task<string> RenderAsync(ControlPanelFactory.TestApplication application, bool canChange)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(scope.ServiceProvider.GetRequiredService<AllowlistService>());
        services.AddSingleton<AuthenticationStateProvider>(new OwnerState(application.AccountId));
        services.AddSingleton<CurrentViewer>();
        services.AddSingleton<NavigationManager, StaticNavigation>();
        services.AddSingleton<Microsoft.JSInterop.IJSRuntime, NoScript>();
        Radzen.ServiceCollectionExtensions.AddRadzenComponents(services);
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<AllowlistTab>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(AllowlistTab.ApplicationId)] = application.Id,
                [nameof(AllowlistTab.CanChange)] = canChange,
            }));
            await output.QuiescenceTask;
            return output.ToHtmlString();
        });
    }

    private sealed class OwnerState(Guid accountId) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "owner-1"), new Claim(ClaimTypes.Role, Roles.Owner),
            new Claim(ViewerClaims.AccountId, accountId.ToString()), new Claim(ViewerClaims.DisplayName, "Olive Owner"),
        ], "test"))));
    }

    /// <summary>Static rendering runs no script; Radzen only needs the service to exist.</summary>
    private sealed class NoScript : Microsoft.JSInterop.IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(default(TValue)!);
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => ValueTask.FromResult(default(TValue)!);
    }

    private sealed class StaticNavigation : NavigationManager
    {
        public StaticNavigation() => Initialize("https://localhost/", "https://localhost/applications");
    }
}
