using ControlPanel.Benchmarks;
using ControlPanel.Domain;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Seeds a fresh database for bench/run.sh: one account, one Live application whose rate limits
// and quota an admin has raised for load testing, and its key pair, printed as shell variables.
// Everything goes through the domain services the app uses; the app starts afterwards.
// Usage: ControlPanel.Bench [--provider Sqlite|PostgreSql] --connection "<connection string>"
// The database is dropped and created again, so every run starts from the same state.
DatabaseOptions options;
try
{
    options = ParseArguments(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: ControlPanel.Bench [--provider Sqlite|PostgreSql] --connection \"<connection string>\"");
    return 2;
}

await new BenchDatabase(options).RecreateAsync();

// The domain as the app wires it, on the bench's database.
var services = new ServiceCollection();
services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:Provider"] = options.Provider.ToString(),
    ["Database:ConnectionString"] = options.ConnectionString,
}).Build());
services.AddLogging();
services.AddDataProtection();
services.AddControlPanelDomain();
await using var provider = services.BuildServiceProvider();
await using var scope = provider.CreateAsyncScope();
T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

var clock = Get<TimeProvider>();
var admin = new Viewer("bench", "Benchmark seeder", Roles.Admin, null);
var accountId = Guid.NewGuid();
await using (var db = await Get<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync())
{
    // Accounts are made by customer registration (Identity); the bench needs only the row.
    db.Accounts.Add(new Account { Id = accountId, Name = "Benchmark", CreatedAt = clock.GetUtcNow().UtcDateTime });
    await db.SaveChangesAsync();
}
var created = await Get<ApplicationService>().CreateAsync(admin,
    new ApplicationService.Form { Name = "Load test", Environment = ApplicationEnvironment.Live, AccountId = accountId });
var controls = Get<AdminControls>();
await controls.SetRateLimitsAsync(admin, created.Application.Id, Application.MaxRateLimit, Application.MaxRateLimit);
await controls.SetQuotaAsync(admin, created.Application.Id, Application.MaxQuota, 0);

Console.WriteLine($"APPLICATION_KEY={created.Keys.ApplicationKey}");
Console.WriteLine($"CONSUMER_KEY={created.Keys.ConsumerKey}");
return 0;

static DatabaseOptions ParseArguments(string[] args)
{
    var provider = DatabaseProvider.Sqlite;
    string? connection = null;
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--provider":
                var name = Next();
                if (!Enum.TryParse(name, ignoreCase: true, out provider) || !Enum.IsDefined(provider))
                    throw new ArgumentException($"Unknown provider {name}.");
                break;
            case "--connection":
                connection = Next();
                break;
            default:
                throw new ArgumentException($"Unknown argument {args[i]}.");
        }
    }
    if (string.IsNullOrWhiteSpace(connection)) throw new ArgumentException("--connection is required.");
    if (provider == DatabaseProvider.Sqlite)
    {
        // Without pooling the file is closed when the seeder is done with it, before the app opens it.
        connection = new SqliteConnectionStringBuilder(connection) { Pooling = false }.ToString();
    }
    return new DatabaseOptions { Provider = provider, ConnectionString = connection };
}
