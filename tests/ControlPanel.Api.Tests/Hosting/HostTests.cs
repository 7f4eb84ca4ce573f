using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPanel.Api.Tests.Hosting;

public sealed class HostTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Health_answers_ok_once_the_database_is_ready()
    {
        var response = await factory.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_redirect_anonymous_visitors_to_sign_in()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    [Fact]
    public async Task The_official_blazor_script_and_the_theme_are_served()
    {
        var client = factory.CreateClient();
        var script = await client.GetAsync("/_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        // Byte for byte the file of the .NET 10 framework assets package the SDK restored: no extracted or patched copy.
        Assert.Equal(await File.ReadAllBytesAsync(PackagedBlazorScript()), await script.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_content/MudBlazor/MudBlazor.min.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_content/MudBlazor/MudBlazor.min.js")).StatusCode);
        Assert.Contains("cp-page-header", await client.GetStringAsync("/app.css"));
    }

    /// <summary>Where the build found blazor.web.js: the framework assets package, as the static web assets manifest records it.</summary>
    private static string PackagedBlazorScript()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ControlPanel.Web.staticwebassets.runtime.json")));
        var root = manifest.RootElement.GetProperty("ContentRoots").EnumerateArray().Select(r => r.GetString()!)
            .Single(r => r.Contains("microsoft.aspnetcore.app.internal.assets", StringComparison.OrdinalIgnoreCase));
        return Path.Combine(root, "blazor.web.js");
    }

    [Fact]
    public async Task Sign_out_requires_an_antiforgery_token()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_addresses_answer_404()
    {
        var response = await factory.CreateClient().GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
