using System.Net;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Api.Tests;

/// <summary>The whole app in process over a fresh SQLite file, with a configured Admin.</summary>
public sealed class ControlPanelFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@controlpanel.test";
    public const string AdminPassword = "Admin-password-1";

    /// <summary>Sets the connection's remote address in process (TestServer has none): the way tests play a gateway or a client.</summary>
    public const string ConnectionIpHeader = "X-Test-Connection-Ip";

    public static readonly Viewer Admin = new("test-admin", "Test Admin", Roles.Admin, null);

    private readonly string _folder = Directory.CreateTempSubdirectory("cp-api-").FullName;
    private readonly Dictionary<string, string> _settings = new();

    /// <summary>The app's clock; tests move it by hand (see <see cref="ManualClock"/> for why not FakeTimeProvider).</summary>
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public string DataFolder => _folder;

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
        // The app's content root here is the project folder, so the root appsettings.json is not read: set what the API tests rely on.
        builder.UseSetting("Api:RequireHttps", "true");
        builder.UseSetting("Api:TrustedProxies:0", ApiRequests.Gateway);
        builder.UseSetting("Api:GatewaySecret", ApiRequests.GatewaySecret);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, ConnectionIpFilter>();
        });
    }

    /// <summary>A client over HTTPS (the API refuses plain HTTP by default).</summary>
    public HttpClient CreateApiClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

    public sealed record TestApplication(Guid AccountId, Guid Id, IssuedKeys Keys)
    {
        public string ApplicationKey => Keys.ApplicationKey;
        public string ConsumerKey => Keys.ConsumerKey;
    }

    /// <summary>A new account with one application and its first key pair, made through the domain services.</summary>
    public Task<TestApplication> CreateApplicationAsync(ApplicationEnvironment environment = ApplicationEnvironment.Live) =>
        Services.CreateApplicationAsync(Admin, environment);

    /// <summary>Runs a scoped domain service (admin controls, allowlists, key service...).</summary>
    public Task<T> UseAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull => Services.UseAsync(action);

    public Task UseAsync<TService>(Func<TService, Task> action) where TService : notnull => Services.UseAsync(action);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private sealed class ConnectionIpFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ConnectionIpHeader, out var ip) && IPAddress.TryParse(ip, out var address))
                    context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
