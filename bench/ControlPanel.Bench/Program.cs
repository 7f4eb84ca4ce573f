using System.Diagnostics;
using System.Globalization;
using ControlPanel.Benchmarks;
using ControlPanel.Domain;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Seeds a fresh database for bench/run.sh: one account, one Live application whose rate limits
// and quota an admin has raised for load testing, and its key pair, printed as shell variables.
// Everything goes through the domain services the app uses; the app starts afterwards.
// With --key-pairs N, N-1 more applications with one key pair each are written through a bulk path (BulkRows),
// as a large directory would have been built over years; only the first one's keys are known.
// With --changes K --instance URL it seeds nothing: it starts as one more instance on that database (measuring its
// load time and the directory's heap), rotates the keys of K applications, and times each rotation and how long until
// the new keys work on the instance at URL (bench/run.sh scale).
// Usage: ControlPanel.Bench [--provider Sqlite|PostgreSql] --connection "<connection string>" [--key-pairs N | --changes K --instance URL]
// Seeding drops the database and creates it again, so every run starts from the same state.
Arguments arguments;
try
{
    arguments = ParseArguments(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: ControlPanel.Bench [--provider Sqlite|PostgreSql] --connection \"<connection string>\" [--key-pairs N | --changes K --instance URL]");
    return 2;
}
var options = arguments.Database;

if (arguments.Changes == 0) await new BenchDatabase(options).RecreateAsync();

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
if (arguments.Changes > 0) return await ChangeAsInstanceAsync(arguments.Changes, arguments.Instance!);

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
if (arguments.KeyPairs > 1) await SeedInBulkAsync(arguments.KeyPairs - 1);

Console.WriteLine($"APPLICATION_KEY={created.Keys.ApplicationKey}");
Console.WriteLine($"CONSUMER_KEY={created.Keys.ConsumerKey}");
return 0;

// Applications as ApplicationService makes them (with their default view) and one key pair each, in one more account.
async Task SeedInBulkAsync(int count)
{
    var now = clock.GetUtcNow().UtcDateTime;
    var bulkAccount = new Account { Name = "Bulk", CreatedAt = now };
    var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
    var watch = Stopwatch.StartNew();
    await using var db = await Get<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync();
    db.Accounts.Add(bulkAccount);
    await db.SaveChangesAsync();
    await BulkRows.InsertAsync(db, ids.Select((id, i) => new Application
    {
        Id = id,
        AccountId = bulkAccount.Id,
        Name = $"Bulk {i + 1}",
        Environment = ApplicationEnvironment.Live,
        CreatedAt = now,
        CreatedBy = admin.Name,
    }));
    await BulkRows.InsertAsync(db, ids.Select(id => new ApplicationView { ApplicationId = id, Name = Application.DefaultViewName, CreatedAt = now, CreatedBy = admin.Name }));
    await BulkRows.InsertAsync(db, ids.Select(id =>
    {
        var (applicationKey, consumerKey) = (ApiKey.New(), ApiKey.New());
        return new KeyPair
        {
            ApplicationId = id,
            ApplicationKeyHash = ApiKey.HashHex(applicationKey),
            ConsumerKeyHash = ApiKey.HashHex(consumerKey),
            ApplicationKeyLast4 = ApiKey.LastFour(applicationKey),
            ConsumerKeyLast4 = ApiKey.LastFour(consumerKey),
            CreatedAt = now,
            CreatedBy = admin.Name,
        };
    }));
    Console.Error.WriteLine($"Wrote {count:N0} applications with a key pair each in {watch.Elapsed.TotalSeconds:F1} s.");
}

// One more instance on the database: loads as the app does at start, then makes `changes` rotations and times them.
async Task<int> ChangeAsInstanceAsync(int changes, Uri instance)
{
    // The model and its first queries are built before the count starts: they are not the directory.
    await using (var db = await Get<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync())
        await db.KeyPairs.AnyAsync();
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    var watch = Stopwatch.StartNew();
    await Get<ChangeFeed>().StartAsync();
    var loadSeconds = watch.Elapsed.TotalSeconds;
    var heapLoaded = GC.GetTotalMemory(forceFullCollection: true);
    var keyPairs = Get<KeyIndex>().Count;

    List<Guid> applications;
    await using (var db = await Get<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync())
        applications = await db.Applications.Where(a => a.Name.StartsWith("Bulk ")).OrderBy(a => a.Id).Select(a => a.Id).Take(changes).ToListAsync();
    using var http = new HttpClient { BaseAddress = instance, Timeout = TimeSpan.FromSeconds(5) };
    var keys = Get<KeyService>();
    var (rotations, inForce) = (new List<double>(), new List<double>());
    var polls = 0;
    foreach (var applicationId in applications)
    {
        watch.Restart();
        var issued = await keys.RotateAsync(admin, applicationId, RotationGrace.Immediately);
        rotations.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        while (!await WorksAsync(http, issued, ++polls))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"A rotated key did not work on {instance} within a minute.");
            await Task.Delay(5);
        }
        inForce.Add(watch.Elapsed.TotalMilliseconds);
    }
    var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

    static string Ms(List<double> values, double quantile) =>
        values.Count == 0 ? "0" : values.Order().ElementAt((int)Math.Min(values.Count - 1, Math.Ceiling(quantile * values.Count) - 1)).ToString("F1", CultureInfo.InvariantCulture);
    Console.WriteLine($"KEY_PAIRS={keyPairs}");
    Console.WriteLine($"LOAD_SECONDS={loadSeconds.ToString("F2", CultureInfo.InvariantCulture)}");
    Console.WriteLine($"HEAP_LOADED_MB={(heapLoaded - heapBefore) / 1e6:F0}");
    Console.WriteLine($"HEAP_PER_KEY_PAIR={(heapLoaded - heapBefore) / Math.Max(1, keyPairs)}");
    Console.WriteLine($"HEAP_AFTER_CHANGES_MB={(heapAfter - heapBefore) / 1e6:F0}");
    Console.WriteLine($"CHANGES={rotations.Count}");
    Console.WriteLine($"ROTATION_P50_MS={Ms(rotations, 0.5)}");
    Console.WriteLine($"ROTATION_MAX_MS={Ms(rotations, 1)}");
    Console.WriteLine($"IN_FORCE_P50_MS={Ms(inForce, 0.5)}");
    Console.WriteLine($"IN_FORCE_MAX_MS={Ms(inForce, 1)}");
    return 0;
}

// Each try from another client address (the app trusts loopback's X-Forwarded-For): tries refused while the new keys
// are not known yet would otherwise reach the refusals-per-address limit and be answered 429 after they are.
static async Task<bool> WorksAsync(HttpClient http, IssuedKeys keys, int attempt)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/check");
    request.Headers.Add("X-Forwarded-For", $"10.{(attempt >> 16) & 255}.{(attempt >> 8) & 255}.{attempt & 255}");
    request.Headers.Add("APPLICATIONKEY", keys.ApplicationKey);
    request.Headers.Add("CONSUMERKEY", keys.ConsumerKey);
    using var response = await http.SendAsync(request);
    return response.IsSuccessStatusCode;
}

static Arguments ParseArguments(string[] args)
{
    var provider = DatabaseProvider.Sqlite;
    string? connection = null;
    var (keyPairs, changes) = (1, 0);
    Uri? instance = null;
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        int Count() => int.TryParse(Next(), out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a positive number.");
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
            case "--key-pairs":
                keyPairs = Count();
                break;
            case "--changes":
                changes = Count();
                break;
            case "--instance":
                instance = Uri.TryCreate(Next().TrimEnd('/') + "/", UriKind.Absolute, out var uri) ? uri : throw new ArgumentException("--instance needs a URL.");
                break;
            default:
                throw new ArgumentException($"Unknown argument {args[i]}.");
        }
    }
    if (string.IsNullOrWhiteSpace(connection)) throw new ArgumentException("--connection is required.");
    if (changes > 0 && instance is null) throw new ArgumentException("--changes needs --instance.");
    if (provider == DatabaseProvider.Sqlite)
    {
        // Without pooling the file is closed when the seeder is done with it, before the app opens it.
        connection = new SqliteConnectionStringBuilder(connection) { Pooling = false }.ToString();
    }
    return new Arguments(new DatabaseOptions { Provider = provider, ConnectionString = connection }, keyPairs, changes, instance);
}

sealed record Arguments(DatabaseOptions Database, int KeyPairs, int Changes, Uri? Instance);
