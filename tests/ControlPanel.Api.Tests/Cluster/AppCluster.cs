using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ControlPanel.Domain;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using ControlPanel.Web.Api;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TestApplication = ControlPanel.Api.Tests.ControlPanelFactory.TestApplication;

namespace ControlPanel.Api.Tests.Cluster;

/// <summary>
/// Several instances of the real app, each its own process on a loopback port, sharing one fresh
/// PostgreSQL database on the server CONTROLPANEL_TEST_POSTGRES names (test.sh starts one); the
/// database is dropped afterwards. One instance may run on SQLite instead (a file in a temporary
/// folder, deleted afterwards), as most installations do. Test data is made with the domain services
/// in this process over the same database: they publish through the change feed exactly as they do inside an instance,
/// so the instances learn of it the way they learn of each other's changes.
/// </summary>
/// <remarks>
/// A test fixture: a subclass names the size, the settings and the database (<see cref="ClusterCollection"/>);
/// a test may also make and dispose one itself (the crash test, once per database).
/// </remarks>
public abstract class AppCluster(int size, IReadOnlyDictionary<string, string>? settings = null, DatabaseProvider provider = DatabaseProvider.PostgreSql)
    : IAsyncLifetime
{
    public static readonly Viewer Admin = new("cluster-admin", "Cluster test admin", Roles.Admin, null);

    private string? _database;
    private string? _sqliteFolder;
    private Dictionary<string, string> _settings = [];
    private readonly List<AppProcess> _instances = [];
    private readonly List<HttpClient> _clients = [];
    private ServiceProvider? _services;

    public IReadOnlyList<AppProcess> Instances => _instances;

    /// <summary>One client per instance, in the same order.</summary>
    public IReadOnlyList<HttpClient> Clients => _clients;

    public async Task InitializeAsync()
    {
        if (provider == DatabaseProvider.Sqlite && size != 1) throw new ArgumentException("SQLite runs one instance.", nameof(size));
        string connectionString, ownConnectionString;
        if (provider == DatabaseProvider.PostgreSql)
        {
            _database = TestPostgres.CreateDatabase("cp_cluster");
            connectionString = TestPostgres.ConnectionString(_database);
            ownConnectionString = TestPostgres.ConnectionString(_database, pooling: false);
        }
        else
        {
            _sqliteFolder = Directory.CreateTempSubdirectory("cp-cluster-").FullName;
            connectionString = ownConnectionString = $"Data Source={Path.Combine(_sqliteFolder, "controlpanel.db")}";
        }
        var all = new Dictionary<string, string>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = connectionString,
            // With several instances the first Admin comes from configuration (docs/security.md).
            ["Bootstrap:AdminEmail"] = "admin@controlpanel.test",
            ["Bootstrap:AdminPassword"] = "Admin-password-1",
            // Plain HTTP on loopback; TLS is not what is under test.
            ["Api:RequireHttps"] = "false",
            // The probes below ask not to be counted, which only a gateway that knows the secret may.
            ["Api:GatewaySecret"] = ApiRequests.GatewaySecret,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        _settings = all;

        try
        {
            // One after the other: the first creates the schema, the key ring and the Admin, the others find them.
            // (Starting the others together is no faster on a small machine, and leaves them busier when tests begin.)
            for (var i = 0; i < size; i++)
            {
                var instance = await AppProcess.StartAsync(all);
                _instances.Add(instance);
                _clients.Add(ClientOf(instance));
            }
        }
        catch
        {
            // Leave no process or database behind, whether or not the runner disposes a fixture that failed to start.
            await DisposeAsync();
            throw;
        }
        _services = DomainServices(provider, ownConnectionString);
    }

    private static HttpClient ClientOf(AppProcess instance) => new() { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Starts instance <paramref name="index"/> again, after it was killed, on the same database and settings
    /// (on a new port); <see cref="Clients"/> then holds a client for the new process.
    /// </summary>
    public async Task RestartAsync(int index)
    {
        var dead = _instances[index];
        if (!dead.HasExited) throw new InvalidOperationException($"Instance {index} is still running: kill it first.");
        await dead.DisposeAsync();
        _instances[index] = await AppProcess.StartAsync(_settings);
        _clients[index].Dispose();
        _clients[index] = ClientOf(_instances[index]);
    }

    /// <summary>Stops every instance and drops the database (or deletes the SQLite folder); safe to call twice.</summary>
    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        foreach (var instance in _instances) await instance.DisposeAsync();
        _clients.Clear();
        _instances.Clear();
        if (_services is not null) await _services.DisposeAsync();
        _services = null;
        if (_database is not null) TestPostgres.DropDatabase(_database);
        _database = null;
        if (_sqliteFolder is not null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_sqliteFolder, recursive: true); } catch (IOException) { }
        }
        _sqliteFolder = null;
    }

    /// <summary>
    /// Windows are UTC minutes on the instances' clock (this machine's): a run that crossed into the
    /// next minute would count in two windows. Each run takes well under a second; ten seconds is room.
    /// </summary>
    public static async Task WaitForRoomInTheMinuteAsync()
    {
        var intoMinute = TimeSpan.FromTicks(DateTime.UtcNow.Ticks % TimeSpan.TicksPerMinute);
        var left = TimeSpan.FromMinutes(1) - intoMinute;
        if (left < TimeSpan.FromSeconds(10)) await Task.Delay(left + TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Exactly <paramref name="allowed"/> answers are 200 and every other one is the refusal, with the seed's body.</summary>
    public static async Task AssertExactlyAsync(IReadOnlyList<HttpResponseMessage> answers, int allowed, HttpStatusCode refusal, int code)
    {
        Assert.Equal(allowed, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            await refused.AssertErrorAsync(refusal, code);
    }

    /// <summary>What the instances wrote to their consoles, for a failure message.</summary>
    public string Output => string.Join("\n", _instances.Select((instance, i) => $"--- instance {i} ({instance.BaseAddress})\n{instance.Output}"));

    /// <summary>
    /// The domain services the instances run, here in the test process on the shared database,
    /// including Data Protection on the shared key ring (webhook secrets must be readable by the instances).
    /// </summary>
    private static ServiceProvider DomainServices(DatabaseProvider provider, string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = connectionString,
            // The tests' receivers listen on plain HTTP on loopback.
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowPrivateAddresses"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddControlPanelDomain();
        services.AddDatabaseKeyRing(configuration, legacyFolder: null);
        return services.BuildServiceProvider();
    }

    private IServiceProvider Services => _services ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>A new account with one Live application and its first key pair (the record the in-process tests use).</summary>
    public Task<TestApplication> CreateApplicationAsync() => Services.CreateApplicationAsync(Admin, ApplicationEnvironment.Live);

    /// <summary>A webhook endpoint on the application's account for the platform's chat_ended events; returns its id.</summary>
    public async Task<Guid> CreateEndpointAsync(TestApplication application, string url)
    {
        var secret = await UseAsync<WebhookEndpointService, IssuedSecret>(endpoints => endpoints.CreateAsync(Admin,
            new WebhookEndpointService.Form { Url = url, Events = [WebhookEvents.ChatEnded], AccountId = application.AccountId }));
        return secret.EndpointId;
    }

    /// <summary>Runs a domain service (admin controls, key service, webhook endpoints...) against the shared database.</summary>
    public Task<T> UseAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull => Services.UseAsync(action);

    public Task UseAsync<TService>(Func<TService, Task> action) where TService : notnull => Services.UseAsync(action);

    /// <summary>A context on the shared database, for reading what the instances stored.</summary>
    public Task<ControlPanelDbContext> DatabasesAsync() =>
        Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync();

    /// <summary>
    /// Waits until every running instance answers a verify call for <paramref name="application"/> the way
    /// <paramref name="isCurrent"/> wants: changes arrive through the change feed, so a test waits for them
    /// before it counts. The probe is not counted towards the quota and comes from its own client IP, so
    /// it uses up none of the limits under test.
    /// </summary>
    public async Task WaitUntilEveryInstanceSeesAsync(TestApplication application, Func<VerifyResponse, bool> isCurrent)
    {
        var probe = new VerifyRequest(application.ApplicationKey, application.ConsumerKey, ClientIp: "192.0.2.250", Counted: false);
        for (var i = 0; i < _instances.Count; i++)
        {
            if (_instances[i].HasExited) continue;
            var client = _clients[i];
            VerifyResponse? answer = null;
            await Eventually.TrueAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify") { Content = JsonContent.Create(probe) }
                    .Header("X-ControlPanel-Gateway-Secret", ApiRequests.GatewaySecret);
                using var response = await client.SendAsync(request);
                answer = await response.Content.ReadFromJsonAsync<VerifyResponse>();
                return answer is not null && isCurrent(answer);
            }, () => $"instance {i} to see the change; it still answers {System.Text.Json.JsonSerializer.Serialize(answer)}.\n{Output}", TimeSpan.FromSeconds(10));
        }
    }
}
