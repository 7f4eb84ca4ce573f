using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Tests;

namespace ControlPanel.Domain.Tests.Keys;

/// <summary>A migrated database with two accounts, their owners, and the application and key services over it.</summary>
public sealed class KeyTestBed : IAsyncDisposable
{
    private KeyTestBed(TestDatabase database, Account acme, Account other)
    {
        Database = database;
        Changes = new ChangeFeed(database.Factory, Clock);
        Index = new KeyIndex(database.Factory, Clock, Changes);
        Keys = new KeyService(database.Factory, Changes, Clock);
        Applications = new ApplicationService(database.Factory, Keys, Changes, Clock);
        Audit = new AuditLog(database.Factory);
        Owner = new Viewer("owner-id", "Olivia Owner", Roles.Owner, acme.Id, "192.0.2.10");
        OtherOwner = new Viewer("other-id", "Mallory", Roles.Owner, other.Id);
    }

    public TestDatabase Database { get; }
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

    public ValueTask DisposeAsync()
    {
        Database.Dispose();
        return ValueTask.CompletedTask;
    }
}
