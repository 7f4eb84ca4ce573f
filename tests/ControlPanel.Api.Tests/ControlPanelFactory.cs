using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPanel.Api.Tests;

/// <summary>The whole app in process over a fresh SQLite file, with a configured Admin.</summary>
public sealed class ControlPanelFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@controlpanel.test";
    public const string AdminPassword = "Admin-password-1";

    private readonly string _folder = Directory.CreateTempSubdirectory("cp-api-").FullName;
    private readonly Dictionary<string, string> _settings = new();

    public ControlPanelFactory With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(_folder, "controlpanel.db")}");
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
