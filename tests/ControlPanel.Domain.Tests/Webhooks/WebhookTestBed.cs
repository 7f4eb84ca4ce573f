using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>
/// A migrated database with two accounts, the application, key and webhook services over it, and
/// dispatchers on demand. Delivery tests run on the system clock (real HTTP, real timeouts) with
/// short intervals; rule tests may pass a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>.
/// </summary>
public sealed class WebhookTestBed : IAsyncDisposable
{
    private WebhookTestBed(TestDatabase database, Account acme, Account other, TimeProvider clock, WebhookOptions options)
    {
        Database = database;
        Clock = clock;
        Options = options;
        Services = TestDomain.Build(database, clock, services => services
            .UseOptions(options)
            .UseOptions(new ApiOptions { RequireHttps = false })
            .AddSingleton(Protection));
        Changes = Get<ChangeFeed>();
        Index = Get<KeyIndex>();
        Keys = Get<KeyService>();
        Applications = Get<ApplicationService>();
        Audit = Get<AuditLog>();
        Secrets = Get<WebhookSecrets>();
        Endpoints = Get<WebhookEndpointService>();
        Log = Get<WebhookDeliveryLog>();
        Directory = Get<ApplicationDirectory>();
        Check = Get<RequestCheck>();
        Intake = Get<PlatformEventIntake>();
        Owner = new Viewer("owner-id", "Olivia Owner", Roles.Owner, acme.Id, "192.0.2.10");
        OtherOwner = new Viewer("other-id", "Mallory", Roles.Owner, other.Id);
        AcmeId = acme.Id;
    }

    public TestDatabase Database { get; }
    /// <summary>The services as the host wires them (see <see cref="TestDomain"/>).</summary>
    public ServiceProvider Services { get; }
    public TimeProvider Clock { get; }
    public WebhookOptions Options { get; }
    /// <summary>One key ring for every dispatcher of the bed, as one app's keys folder would be across restarts.</summary>
    public IDataProtectionProvider Protection { get; } = new EphemeralDataProtectionProvider();
    public ChangeFeed Changes { get; }
    public KeyIndex Index { get; }
    public KeyService Keys { get; }
    public ApplicationService Applications { get; }
    public AuditLog Audit { get; }
    public WebhookSecrets Secrets { get; }
    public WebhookEndpointService Endpoints { get; }
    public WebhookDeliveryLog Log { get; }
    public PlatformEventIntake Intake { get; }
    public ApplicationDirectory Directory { get; }
    public RequestCheck Check { get; }

    /// <summary>A call from the platform with these keys, as the HTTP layer would read it.</summary>
    public static CheckRequest Call(string? applicationKey, string? consumerKey) => new()
    {
        ApplicationKey = string.IsNullOrEmpty(applicationKey) ? null : applicationKey,
        ConsumerKey = string.IsNullOrEmpty(consumerKey) ? null : consumerKey,
        ClientIp = System.Net.IPAddress.Loopback,
        IsHttps = true,
    };
    public Guid AcmeId { get; }
    public Viewer Owner { get; }
    public Viewer OtherOwner { get; }
    public Viewer Admin { get; } = new("admin-id", "Ada Admin", Roles.Admin, null, "10.0.0.1");
    public Viewer Support { get; } = new("support-id", "Sam Support", Roles.Support, null);

    /// <summary>Short intervals, loopback and http allowed: what the delivery tests need.</summary>
    public static WebhookOptions FastOptions() => new()
    {
        AllowHttp = true,
        AllowPrivateAddresses = true,
        // Generous for a loaded CI machine; the timeout test sets its own.
        Timeout = TimeSpan.FromSeconds(10),
        RetryInterval = TimeSpan.FromMilliseconds(200),
        MaxAttempts = 3,
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    public static async Task<WebhookTestBed> CreateAsync(WebhookOptions? options = null, TimeProvider? clock = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var database = await TestDatabase.CreateMigratedAsync(provider);
        var acme = new Account { Name = "Acme" };
        var other = new Account { Name = "Other" };
        await using (var db = database.CreateContext())
        {
            db.Accounts.AddRange(acme, other);
            await db.SaveChangesAsync();
        }
        return new WebhookTestBed(database, acme, other, clock ?? TimeProvider.System, options ?? FastOptions());
    }

    /// <summary>
    /// A new dispatcher as the host makes one; several over the same database stand for restarts or instances. Given options
    /// replace the bed's, HTTP client included.
    /// </summary>
    public WebhookDispatcher NewDispatcher(WebhookOptions? options = null) => options is null
        ? ActivatorUtilities.CreateInstance<WebhookDispatcher>(Services)
        : ActivatorUtilities.CreateInstance<WebhookDispatcher>(Services, new HttpClients(options), Microsoft.Extensions.Options.Options.Create(options));

    private T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public Task<IssuedSecret> AddEndpointAsync(string url, params string[] events) =>
        Endpoints.CreateAsync(Owner, new WebhookEndpointService.Form { Url = url, Events = events.Length == 0 ? [WebhookEvents.KeyRotated] : [.. events] });

    public Task<ApplicationService.Created> CreateApplicationAsync(string name = "Storefront") =>
        Applications.CreateAsync(Owner, new ApplicationService.Form { Name = name });

    /// <summary>Runs dispatch passes until <paramref name="done"/> holds; fails after a generous limit rather than timing anything.</summary>
    public static Task RunUntilAsync(WebhookDispatcher dispatcher, Func<Task<bool>> done, TimeSpan? limit = null) =>
        Eventually.TrueAsync(async () =>
        {
            if (await done()) return true;
            await dispatcher.DispatchAsync();
            return false;
        }, "the dispatcher to reach the expected state", limit);

    public async Task<WebhookDeliveryLog.Details> SingleDeliveryAsync()
    {
        var page = await Log.SearchAsync(Admin, new WebhookDeliveryLog.Filter());
        return await Log.GetAsync(Admin, Assert.Single(page.Rows).Id);
    }

    public async Task<WebhookDeliveryStatus?> SingleStatusAsync()
    {
        var page = await Log.SearchAsync(Admin, new WebhookDeliveryLog.Filter());
        return page.Rows.Count == 1 ? page.Rows[0].Status : null;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Database.Dispose();
    }

    /// <summary>IHttpClientFactory as the host configures it: the guarded handler, shared.</summary>
    private sealed class HttpClients(WebhookOptions options) : IHttpClientFactory
    {
        private readonly SocketsHttpHandler _handler = WebhookHttp.CreateHandler(options);
        public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
