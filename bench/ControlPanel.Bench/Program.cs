using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.EntityFrameworkCore;

// Seeds a fresh SQLite database for bench/run.sh: one account, one Live application whose rate
// limits and quota an admin has raised for load testing, and its key pair, printed as shell
// variables. Everything goes through the domain services the app uses; the app starts afterwards.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: ControlPanel.Bench <path to the SQLite file to create>");
    return 2;
}

var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={args[0]};Pooling=False" };
var databases = new Databases(options);
await using (var db = databases.CreateDbContext())
    await DatabaseSetup.MigrateAsync(db);

var clock = TimeProvider.System;
var changes = new ChangeFeed(databases, clock);
var admin = new Viewer("bench", "Benchmark seeder", Roles.Admin, null);
var accountId = Guid.NewGuid();
await using (var db = databases.CreateDbContext())
{
    // Accounts are made by customer registration (Identity); the bench needs only the row.
    db.Accounts.Add(new Account { Id = accountId, Name = "Benchmark", CreatedAt = clock.GetUtcNow().UtcDateTime });
    await db.SaveChangesAsync();
}
var keys = new KeyService(databases, changes, clock);
var created = await new ApplicationService(databases, keys, changes, clock).CreateAsync(admin,
    new ApplicationService.Form { Name = "Load test", Environment = ApplicationEnvironment.Live, AccountId = accountId });
var controls = new AdminControls(databases, changes, clock);
await controls.SetRateLimitsAsync(admin, created.Application.Id, Application.MaxRateLimit, Application.MaxRateLimit);
await controls.SetQuotaAsync(admin, created.Application.Id, Application.MaxQuota, 0);

Console.WriteLine($"APPLICATION_KEY={created.Keys.ApplicationKey}");
Console.WriteLine($"CONSUMER_KEY={created.Keys.ConsumerKey}");
return 0;

sealed class Databases(DatabaseOptions options) : IDbContextFactory<ControlPanelDbContext>
{
    public ControlPanelDbContext CreateDbContext()
    {
        var builder = new DbContextOptionsBuilder<ControlPanelDbContext>();
        DatabaseSetup.Configure(builder, options);
        return new ControlPanelDbContext(builder.Options);
    }
}
