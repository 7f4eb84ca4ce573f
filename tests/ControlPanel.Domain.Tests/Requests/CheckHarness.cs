using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Requests;

/// <summary>The request check and the services around it, wired as the host wires them, over a throwaway database.</summary>
public sealed class CheckHarness : IDisposable
{
    public static readonly Viewer Admin = new("admin-1", "Ada Admin", Roles.Admin, null);

    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; } = new(TestClock.Start);
    public ApiOptions Options { get; }
    public ChangeFeed Changes { get; }
    public LeasedCounters Counters { get; }
    public IDbContextFactory<ControlPanelDbContext> Databases { get; }
    public KeyIndex Keys { get; }
    public ApplicationDirectory Applications { get; }
    public SessionStore Sessions { get; }
    public RateLimiter Limiter { get; }
    public QuotaLedger Quotas { get; }
    public UsageMeter Usage { get; }
    public RequestCheck Check { get; }
    public ApplicationService ApplicationService { get; }
    public KeyService KeyService { get; }
    public AdminControls AdminControls { get; }
    public AllowlistService Allowlists { get; }
    public SessionService SessionService { get; }
    public ApplicationViews Views { get; }
    public ResourceService Resources { get; }

    private CheckHarness(TestDatabase database, ApiOptions options)
    {
        Database = database;
        Options = options;
        Services = TestDomain.Build(database, Clock, services => services.UseOptions(options));
        Databases = Get<IDbContextFactory<ControlPanelDbContext>>();
        Changes = Get<ChangeFeed>();
        Counters = Get<LeasedCounters>();
        Keys = Get<KeyIndex>();
        Applications = Get<ApplicationDirectory>();
        Sessions = Get<SessionStore>();
        Limiter = Get<RateLimiter>();
        Quotas = Get<QuotaLedger>();
        Usage = Get<UsageMeter>();
        Check = Get<RequestCheck>();
        KeyService = Get<KeyService>();
        ApplicationService = Get<ApplicationService>();
        AdminControls = Get<AdminControls>();
        Allowlists = Get<AllowlistService>();
        SessionService = Get<SessionService>();
        Views = Get<ApplicationViews>();
        Resources = Get<ResourceService>();
    }

    /// <summary>The services as the host wires them (see <see cref="TestDomain"/>).</summary>
    public ServiceProvider Services { get; }

    private T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static async Task<CheckHarness> CreateAsync(ApiOptions? options = null)
    {
        var harness = new CheckHarness(await TestDatabase.CreateMigratedAsync(), options ?? new ApiOptions { RequireHttps = false });
        await harness.Changes.StartAsync();
        return harness;
    }

    /// <summary>A new account with one application and its first key pair.</summary>
    public async Task<(Guid AccountId, Guid ApplicationId, IssuedKeys Keys)> CreateApplicationAsync(
        ApplicationEnvironment environment = ApplicationEnvironment.Live, string name = "Storefront")
    {
        var accountId = Guid.NewGuid();
        await using (var db = Database.CreateContext())
        {
            db.Accounts.Add(new Account { Id = accountId, Name = $"Account {accountId:N}"[..20], CreatedAt = Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }
        var created = await ApplicationService.CreateAsync(Admin, new ApplicationService.Form { Name = name, Environment = environment, AccountId = accountId });
        return (accountId, created.Application.Id, created.Keys);
    }

    /// <summary>Adds a view to the application's list, as its owner would; the directory follows through the change feed.</summary>
    public Task AddViewAsync(Guid applicationId, string name, string? description = null) =>
        Views.AddAsync(Admin, applicationId, new ApplicationViews.Form { Name = name, Description = description });

    public static CheckRequest With(IssuedKeys keys) => new() { ApplicationKey = keys.ApplicationKey, ConsumerKey = keys.ConsumerKey, IsHttps = true };

    public void Dispose()
    {
        Services.Dispose();
        Database.Dispose();
    }
}
