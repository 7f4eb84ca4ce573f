using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using ControlPanel.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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

    private CheckHarness(TestDatabase database, ApiOptions options)
    {
        Database = database;
        Options = options;
        Databases = new Factory(database);
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        Changes = new ChangeFeed(Databases, Clock);
        Counters = new LeasedCounters(new ProcessCounterStore(), Clock);
        Keys = new KeyIndex(Databases, Clock, Changes);
        Applications = new ApplicationDirectory(Databases, wrapped, Changes);
        Sessions = new SessionStore(Databases, Clock, wrapped, Changes);
        Limiter = new RateLimiter(Counters);
        Quotas = new QuotaLedger(Counters, Databases, wrapped, Clock);
        Usage = new UsageMeter(Databases);
        Check = new RequestCheck(Keys, Applications, Sessions, Limiter, Quotas, Usage, wrapped, Clock);
        KeyService = new KeyService(Databases, Changes, Clock);
        ApplicationService = new ApplicationService(Databases, KeyService, Changes, Clock);
        AdminControls = new AdminControls(Databases, Changes, Clock);
        Allowlists = new AllowlistService(Databases, Changes, Clock);
        SessionService = new SessionService(Databases, Sessions, Changes, Limiter, wrapped, Clock, Applications);
        Views = new ApplicationViews(Databases, Changes, Clock);
    }

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

    public void Dispose() => Database.Dispose();

    private sealed class Factory(TestDatabase database) : IDbContextFactory<ControlPanelDbContext>
    {
        public ControlPanelDbContext CreateDbContext() => database.CreateContext();
    }
}
