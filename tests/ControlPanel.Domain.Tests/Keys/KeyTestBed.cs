using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Keys;

/// <summary>A migrated database with two accounts, their owners, and the application and key services over it.</summary>
public sealed class KeyTestBed : IAsyncDisposable
{
    private KeyTestBed(TestDatabase database, Account acme, Account other)
    {
        Database = database;
        Services = TestDomain.Build(database, Clock);
        Changes = Services.GetRequiredService<ChangeFeed>();
        Index = Services.GetRequiredService<KeyIndex>();
        Keys = Services.GetRequiredService<KeyService>();
        Applications = Services.GetRequiredService<ApplicationService>();
        Audit = Services.GetRequiredService<AuditLog>();
        Owner = new Viewer("owner-id", "Olivia Owner", Roles.Owner, acme.Id, "192.0.2.10");
        OtherOwner = new Viewer("other-id", "Mallory", Roles.Owner, other.Id);
    }

    public TestDatabase Database { get; }
    /// <summary>The services as the host wires them (see <see cref="TestDomain"/>).</summary>
    public ServiceProvider Services { get; }
    public FakeTimeProvider Clock { get; } = new(TestClock.Start);
    public ChangeFeed Changes { get; }
    public KeyIndex Index { get; }
    public KeyService Keys { get; }
    public ApplicationService Applications { get; }
    public AuditLog Audit { get; }
    public Viewer Owner { get; }
    public Viewer OtherOwner { get; }
    public Viewer Admin { get; } = new("admin-id", "Ada Admin", Roles.Admin, null, "10.0.0.1");
    public Viewer Support { get; } = new("support-id", "Sam Support", Roles.Support, null);

    public static async Task<KeyTestBed> CreateAsync(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var database = await TestDatabase.CreateMigratedAsync(provider);
        var acme = new Account { Name = "Acme" };
        var other = new Account { Name = "Other" };
        await using (var db = database.CreateContext())
        {
            db.Accounts.AddRange(acme, other);
            await db.SaveChangesAsync();
        }
        return new KeyTestBed(database, acme, other);
    }

    public Task<ApplicationService.Created> CreateApplicationAsync(string name = "Storefront") =>
        Applications.CreateAsync(Owner, new ApplicationService.Form { Name = name });

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Database.Dispose();
    }
}
