using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Usage;

/// <summary>The usage meter, reports and retention over a throwaway database of either provider, on a manual clock.</summary>
public sealed class UsageTestBed : IDisposable
{
    public static readonly Viewer Admin = new("admin-1", "Ada Admin", Roles.Admin, null);
    public static readonly Viewer Support = new("support-1", "Sam Support", Roles.Support, null);

    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    public UsageOptions Options { get; } = new();
    public ApiOptions ApiOptions { get; } = new() { DefaultMonthlyQuota = 1_000 };
    public UsageMeter Meter { get; }
    public UsageReports Reports { get; }
    public UsageRetention Retention { get; }

    private UsageTestBed(TestDatabase database, DateTimeOffset now)
    {
        Database = database;
        Clock = new FakeTimeProvider(now);
        Services = TestDomain.Build(database, Clock, services => services.UseOptions(Options).UseOptions(ApiOptions));
        Meter = Services.GetRequiredService<UsageMeter>();
        Reports = Services.GetRequiredService<UsageReports>();
        Retention = Services.GetRequiredService<UsageRetention>();
    }

    /// <summary>The services as the host wires them (see <see cref="TestDomain"/>).</summary>
    public ServiceProvider Services { get; }

    public static async Task<UsageTestBed> CreateAsync(DatabaseProvider provider, DateTimeOffset now) =>
        new(await TestDatabase.CreateMigratedAsync(provider), now);

    /// <summary>An account with one application per name; returns the account's id, its owner and the applications' ids.</summary>
    public async Task<(Guid AccountId, Viewer Owner, Guid[] ApplicationIds)> CreateAccountAsync(string name, params string[] applications)
    {
        await using var db = Database.CreateContext();
        var account = new Account { Name = name, CreatedAt = Clock.GetUtcNow().UtcDateTime };
        db.Accounts.Add(account);
        var created = applications.Select(a => new Application { AccountId = account.Id, Name = a, Environment = ApplicationEnvironment.Live, CreatedAt = Clock.GetUtcNow().UtcDateTime, CreatedBy = "test" }).ToList();
        db.Applications.AddRange(created);
        await db.SaveChangesAsync();
        return (account.Id, new Viewer($"owner-{name}", $"{name} owner", Roles.Owner, account.Id), created.Select(a => a.Id).ToArray());
    }

    public void Dispose()
    {
        Services.Dispose();
        Database.Dispose();
    }
}
