// Fills a database with a year of usage for many applications, then times the usage reports on it.
// Usage: dotnet run -c Release --project bench/ControlPanel.UsageGenerator -- [--provider Sqlite|PostgreSql]
//        [--connection "..."] [--applications 1000] [--days 365] [--minute-days 35] [--runs 30] [--measure-only]
using System.Diagnostics;
using ControlPanel.Benchmarks;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Usage;
using ControlPanel.UsageGenerator;
using Microsoft.EntityFrameworkCore;

var options = GeneratorOptions.Parse(args);
var databaseOptions = new DatabaseOptions { Provider = options.Provider, ConnectionString = options.ConnectionString };
var databases = new BenchDatabase(databaseOptions);
var now = DateTime.UtcNow;

if (!options.MeasureOnly)
{
    await databases.RecreateAsync();

    var watch = Stopwatch.StartNew();
    var simulation = new UsageSimulation(options, now);
    var applications = await CreateApplicationsAsync(options, databases, now);
    var profiles = simulation.CreateProfiles(applications);
    await using (var db = databases.CreateDbContext())
    {
        foreach (var profile in profiles)
        {
            var application = await db.Applications.SingleAsync(a => a.Id == profile.Id);
            application.MonthlyQuota = profile.MonthlyQuota;
            application.QuotaOverrunAllowance = profile.OverrunAllowance;
        }
        await db.SaveChangesAsync();
    }
    Console.WriteLine($"{profiles.Count:N0} applications in {applications.Select(a => a.AccountId).Distinct().Count():N0} accounts; simulating {options.Days} days (minutes for the last {options.MinuteDays})...");

    IRowWriter writer = options.Provider == DatabaseProvider.Sqlite
        ? new SqliteRowWriter(options.ConnectionString)
        : new PostgresRowWriter(options.ConnectionString);
    await using (writer)
    {
        // Unrecognised keys (204 with no application), about 0.3% of the platform's calls.
        var unknown = new ApplicationProfile(Guid.Empty, Guid.Empty, ApplicationEnvironment.Live, 0, 0,
            profiles.Sum(p => p.BaseCallsPerDay) * 0.003, 1, 0, 0.3, [Guid.Empty]);
        foreach (var profile in profiles.Append(unknown))
            simulation.Simulate(profile, writer.Write, writer.Write);
        Console.WriteLine($"{simulation.Calls:N0} calls as {writer.DayRows:N0} day rows and {writer.MinuteRows:N0} minute rows; writing and indexing...");
    }
    // The history's rows (per application, environment and day), which the meter adds to as it flushes.
    await using (var db = databases.CreateDbContext())
    {
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.ExecuteSqlRawAsync(UsageApplicationDay.FoldDaysSql);
        await db.Database.ExecuteSqlRawAsync(options.Provider == DatabaseProvider.Sqlite ? "ANALYZE" : "ANALYZE \"UsageApplicationDays\"");
    }
    Console.WriteLine($"Generated in {watch.Elapsed.TotalSeconds:N0} s.");
}

// Measure: the owner of the account with the most applications, and that account's busiest application.
Viewer owner;
Guid busiest;
await using (var db = databases.CreateDbContext())
{
    var accountId = await db.Applications.GroupBy(a => a.AccountId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
    var applicationIds = await db.Applications.Where(a => a.AccountId == accountId).Select(a => a.Id).ToListAsync();
    var from = DateOnly.FromDateTime(now).AddDays(-30);
    busiest = (await db.UsageDays.Where(d => applicationIds.Contains(d.ApplicationId) && d.Day >= from)
        .GroupBy(d => d.ApplicationId).Select(g => new { g.Key, Calls = g.Sum(d => d.Calls) })
        .OrderByDescending(g => g.Calls).FirstOrDefaultAsync())?.Key ?? applicationIds[0];
    owner = new Viewer("bench-owner", "Bench Owner", Roles.Owner, accountId);
    Console.WriteLine($"Rows: {await db.UsageDays.CountAsync():N0} day rows, {await db.UsageMinutes.CountAsync():N0} minute rows; owner's account has {applicationIds.Count} applications.");
}

var reports = new UsageReports(databases,
    Microsoft.Extensions.Options.Options.Create(new UsageOptions()),
    Microsoft.Extensions.Options.Options.Create(new ApiOptions()),
    TimeProvider.System,
    new ControlPanel.Domain.Resources.ResourceCatalogue(databases));
Console.WriteLine($"Timing {options.Runs} runs of each ({options.Provider}):");
var results = await new Measurements(reports, options).RunAsync(owner, busiest);
Console.WriteLine();
Console.WriteLine(Measurements.Markdown(results));

static async Task<List<(Guid AccountId, Guid ApplicationId, ApplicationEnvironment Environment)>> CreateApplicationsAsync(
    GeneratorOptions options, IDbContextFactory<ControlPanelDbContext> databases, DateTime now)
{
    var random = new Random(options.Seed + 1);
    var created = new List<(Guid, Guid, ApplicationEnvironment)>();
    await using var db = databases.CreateDbContext();
    var accountNumber = 0;
    while (created.Count < options.Applications)
    {
        var account = new Account { Name = $"Customer {++accountNumber:0000}", CreatedAt = now.AddDays(-options.Days) };
        db.Accounts.Add(account);
        // One to eight applications per account, most accounts having few.
        var count = Math.Min(options.Applications - created.Count, 1 + (int)Math.Floor(7 * Math.Pow(random.NextDouble(), 2.5)));
        for (var i = 0; i < count; i++)
        {
            var environment = random.NextDouble() switch { < 0.6 => ApplicationEnvironment.Live, < 0.85 => ApplicationEnvironment.Staging, _ => ApplicationEnvironment.Development };
            var application = new Application { AccountId = account.Id, Name = $"App {i + 1} of {account.Name}", Environment = environment, CreatedAt = account.CreatedAt, CreatedBy = "generator" };
            db.Applications.Add(application);
            created.Add((account.Id, application.Id, environment));
        }
    }
    await db.SaveChangesAsync();
    return created;
}
