using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Keys;
using ControlPanel.Tests;

namespace ControlPanel.Api.Tests.Management;

/// <summary>The management API docs' worked example, samples/rotate-keys.sh, run with bash, curl and jq against the app on a real loopback port.</summary>
public sealed class RotationScriptTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new ControlPanelFactory().With("Api:RequireHttps", "false");
    private readonly string folder = Directory.CreateTempSubdirectory("cp-rotate-").FullName;
    private Uri address = default!;

    public Task InitializeAsync()
    {
        var port = ControlPanel.Tests.NginxGateway.FreePort();
        factory.UseKestrel(port);
        factory.StartServer();
        address = new Uri($"http://127.0.0.1:{port}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static string Script { get; } = Repository.Path("samples", "rotate-keys.sh");

    private async Task<(int ExitCode, string Output)> RunAsync(string token, Guid applicationId, string keysFile)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(applicationId.ToString());
        start.ArgumentList.Add(keysFile);
        start.Environment["CONTROLPANEL_URL"] = address.ToString();
        start.Environment["CONTROLPANEL_TOKEN"] = token;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    private async Task<(Viewer Owner, Guid ApplicationId, IssuedKeys Keys)> ApplicationAsync()
    {
        var owner = await factory.NewOwnerAsync("Acme");
        var created = await factory.UseAsync<ApplicationService, ApplicationService.Created>(a => a.CreateAsync(owner, new ApplicationService.Form { Name = "Checkout" }));
        return (owner, created.Application.Id, created.Keys);
    }

    private async Task<bool> VerifiesAsync(string applicationKey, string consumerKey)
    {
        using var client = new HttpClient { BaseAddress = address };
        var answer = await client.PostAsJsonAsync("/api/v1/verify", new { applicationKey, consumerKey });
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean();
    }

    [Fact]
    public async Task The_readme_script_rotates_stores_verifies_the_new_pair_and_revokes_the_old_one()
    {
        var (owner, applicationId, oldKeys) = await ApplicationAsync();
        var token = (await factory.NewTokenAsync(owner, AccessTokenScope.ReadWrite, name: "rotation script")).Token;
        var keysFile = Path.Combine(folder, "new-keys.json");

        var (exitCode, output) = await RunAsync(token, applicationId, keysFile);

        Assert.True(exitCode == 0, output);
        Assert.Contains("The new key pair verifies", output);
        Assert.Contains($"Revoked key pair {oldKeys.KeyPairId}", output);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keysFile));
        var stored = JsonDocument.Parse(await File.ReadAllTextAsync(keysFile)).RootElement;
        var newKeys = new IssuedKeys(stored.GetProperty("keyPairId").GetGuid(), stored.GetProperty("applicationKey").GetString()!, stored.GetProperty("consumerKey").GetString()!);

        Assert.True(await VerifiesAsync(newKeys.ApplicationKey, newKeys.ConsumerKey));
        Assert.False(await VerifiesAsync(oldKeys.ApplicationKey, oldKeys.ConsumerKey));
        var pairs = await factory.UseAsync<KeyService, IReadOnlyList<KeyService.PairView>>(k => k.ListAsync(owner, applicationId));
        Assert.Equal(2, pairs.Count);
        Assert.NotNull(pairs.Single(p => p.Id == oldKeys.KeyPairId).RevokedAt);
        Assert.True(pairs.Single(p => p.Id == newKeys.KeyPairId).IsLive);

        var audit = (await factory.UseAsync<AuditLog, AuditLog.Page>(log => log.SearchAsync(owner, new AuditLog.Filter(ApplicationId: applicationId)))).Entries;
        Assert.Contains(audit, e => e.Action == AuditActions.KeysRotated && e.ActorName.EndsWith("(token \"rotation script\")") && e.Changes.Contains("(1 hour grace)"));
        Assert.Contains(audit, e => e.Action == AuditActions.KeysRevoked && e.ActorName.EndsWith("(token \"rotation script\")"));
    }

    [Fact]
    public async Task The_management_api_docs_show_the_script_as_it_is_in_the_repository()
    {
        var docs = await File.ReadAllTextAsync(Repository.Path("docs", "management-api.md"));
        Assert.Contains("```sh\n" + await File.ReadAllTextAsync(Script) + "```", docs);
    }

    [Fact]
    public async Task The_script_stops_with_the_error_body_when_the_token_may_not_rotate()
    {
        var (owner, applicationId, oldKeys) = await ApplicationAsync();
        var token = (await factory.NewTokenAsync(owner, AccessTokenScope.ReadOnly, name: "reader")).Token;

        var (exitCode, output) = await RunAsync(token, applicationId, Path.Combine(folder, "keys.json"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("\"Error\":170", output);
        Assert.False(File.Exists(Path.Combine(folder, "keys.json")));
        Assert.True(await VerifiesAsync(oldKeys.ApplicationKey, oldKeys.ConsumerKey));
        Assert.Single(await factory.UseAsync<KeyService, IReadOnlyList<KeyService.PairView>>(k => k.ListAsync(owner, applicationId)));
    }
}
