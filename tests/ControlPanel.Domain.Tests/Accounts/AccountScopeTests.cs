using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// The one scoping helper every service lists and loads through: owners see their own account's rows, staff every account's,
/// anybody else is refused; one row is read or changed only as <see cref="Viewer.CanRead"/> and <see cref="Viewer.CanChange"/> say.
/// </summary>
public class AccountScopeTests
{
    private static readonly Guid Acme = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    private static readonly Viewer AcmeOwner = new("owner-acme", "Olivia Owner", Roles.Owner, Acme);
    private static readonly Viewer OtherOwner = new("owner-other", "Mallory", Roles.Owner, Other);
    private static readonly Viewer Admin = new("admin", "Ada Admin", Roles.Admin, null);
    private static readonly Viewer Support = new("support", "Sam Support", Roles.Support, null);

    /// <summary>Viewers that read no account at all: each is refused rather than shown an empty list.</summary>
    public static TheoryData<Viewer> Nobodies => new()
    {
        new Viewer("owner-none", "No Account", Roles.Owner, null),
        new Viewer("guest", "Guest", "Guest", Acme),
        new Viewer("empty", "No Role", "", Acme),
        new Viewer("lower", "Lower-case admin", "admin", null), // roles are matched exactly
    };

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    /// <summary>Two applications in Acme, one in Other; audit entries for each account and one about no account.</summary>
    private static async Task<TestDatabase> SeededAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateMigratedAsync(provider);
        await using var db = database.CreateContext();
        db.Accounts.AddRange(new Account { Id = Acme, Name = "Acme" }, new Account { Id = Other, Name = "Other" });
        db.Applications.AddRange(
            new Application { AccountId = Acme, Name = "Storefront", CreatedBy = "test" },
            new Application { AccountId = Acme, Name = "Back office", CreatedBy = "test" },
            new Application { AccountId = Other, Name = "Elsewhere", CreatedBy = "test" });
        var now = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        AuditLog.Record(db, Admin, now, AuditActions.ApplicationCreated, Acme, null, "about Acme");
        AuditLog.Record(db, Admin, now, AuditActions.ApplicationCreated, Other, null, "about Other");
        AuditLog.Record(db, Admin, now, AuditActions.ApplicationCreated, null, null, "about no account");
        await db.SaveChangesAsync();
        return database;
    }

    private static async Task<Guid> ApplicationIdAsync(TestDatabase database, string name)
    {
        await using var db = database.CreateContext();
        return await db.Applications.Where(a => a.Name == name).Select(a => a.Id).SingleAsync();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_owner_lists_only_their_own_accounts_rows(DatabaseProvider provider)
    {
        using var database = await SeededAsync(provider);
        await using var db = database.CreateContext();

        var acme = await db.Applications.VisibleTo(AcmeOwner).Select(a => a.Name).ToListAsync();
        var other = await db.Applications.VisibleTo(OtherOwner).Select(a => a.Name).ToListAsync();

        Assert.Equal(["Back office", "Storefront"], acme.Order(StringComparer.Ordinal));
        Assert.Equal(["Elsewhere"], other);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Staff_list_every_accounts_rows(DatabaseProvider provider)
    {
        using var database = await SeededAsync(provider);
        await using var db = database.CreateContext();

        Assert.Equal(3, await db.Applications.VisibleTo(Admin).CountAsync());
        Assert.Equal(3, await db.Applications.VisibleTo(Support).CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Rows_of_an_optional_account_are_an_owners_only_when_they_name_the_owners_account(DatabaseProvider provider)
    {
        using var database = await SeededAsync(provider);
        await using var db = database.CreateContext();

        var owners = await db.AuditEntries.VisibleTo(AcmeOwner, e => e.AccountId).Select(e => e.Changes).ToListAsync();
        var staff = await db.AuditEntries.VisibleTo(Support, e => e.AccountId).OrderBy(e => e.Id).Select(e => e.Changes).ToListAsync();

        Assert.Equal(["about Acme"], owners);
        Assert.Equal(["about Acme", "about Other", "about no account"], staff);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_list_holds_exactly_the_rows_the_viewer_can_read(DatabaseProvider provider)
    {
        using var database = await SeededAsync(provider);
        await using var db = database.CreateContext();
        var all = await db.Applications.ToListAsync();

        foreach (var viewer in new[] { AcmeOwner, OtherOwner, Admin, Support, AcmeOwner with { ReadOnly = true } })
        {
            var listed = await db.Applications.VisibleTo(viewer).Select(a => a.Id).OrderBy(id => id).ToListAsync();
            var readable = all.Where(a => viewer.CanRead(a.AccountId)).Select(a => a.Id).OrderBy(id => id).ToList();
            Assert.Equal(readable, listed);
        }
    }

    [Theory]
    [MemberData(nameof(Nobodies))]
    public void A_viewer_who_reads_no_account_is_refused_a_list_before_it_is_read(Viewer nobody)
    {
        // No database: the refusal comes from building the query, so nothing is read for such a viewer.
        var applications = new[] { new Application { AccountId = Acme, Name = "Storefront", CreatedBy = "test" } }.AsQueryable();
        var entries = Array.Empty<AuditEntry>().AsQueryable();

        Assert.Throws<AccessDeniedException>(() => applications.VisibleTo(nobody));
        Assert.Throws<AccessDeniedException>(() => entries.VisibleTo(nobody, e => e.AccountId));
        Assert.Throws<AccessDeniedException>(() => AccountScope.VisibleAccount(nobody));
    }

    [Fact]
    public void The_visible_account_is_an_owners_own_and_none_for_staff()
    {
        Assert.Equal(Acme, AccountScope.VisibleAccount(AcmeOwner));
        Assert.Null(AccountScope.VisibleAccount(Admin));
        Assert.Null(AccountScope.VisibleAccount(Support));
    }

    [Fact]
    public void One_row_is_given_as_the_viewer_may_read_or_change_it()
    {
        var row = new Application { AccountId = Acme, Name = "Storefront", CreatedBy = "test" };

        Assert.Same(row, row.ReadableBy(AcmeOwner));
        Assert.Same(row, row.ChangeableBy(AcmeOwner));
        Assert.Same(row, row.ReadableBy(Admin));
        Assert.Same(row, row.ChangeableBy(Admin));
        Assert.Same(row, row.ReadableBy(Support));
        Assert.Throws<AccessDeniedException>(() => row.ChangeableBy(Support));
        Assert.Throws<AccessDeniedException>(() => row.ReadableBy(OtherOwner));
        Assert.Throws<AccessDeniedException>(() => row.ChangeableBy(OtherOwner));
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public void A_read_only_token_reads_the_row_and_may_not_change_it(string role)
    {
        var viewer = new Viewer("token", "Token", role, role == Roles.Owner ? Acme : null) { ReadOnly = true };
        var row = new Application { AccountId = Acme, Name = "Storefront", CreatedBy = "test" };

        Assert.Same(row, row.ReadableBy(viewer));
        Assert.Throws<AccessDeniedException>(() => row.ChangeableBy(viewer));
    }

    [Fact]
    public void A_row_that_is_not_there_is_refused_to_everyone()
    {
        Application? missing = null;

        foreach (var viewer in new[] { AcmeOwner, Admin, Support })
        {
            Assert.Throws<AccessDeniedException>(() => missing.ReadableBy(viewer));
            Assert.Throws<AccessDeniedException>(() => missing.ChangeableBy(viewer));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Finding_one_row_answers_another_accounts_row_as_it_answers_a_missing_one(DatabaseProvider provider)
    {
        using var database = await SeededAsync(provider);
        var storefront = await ApplicationIdAsync(database, "Storefront");
        await using var db = database.CreateContext();

        var read = await db.Applications.AsNoTracking().FindForReadAsync(AcmeOwner, a => a.Id == storefront);
        var changed = await db.Applications.FindForChangeAsync(Admin, a => a.Id == storefront);
        Assert.Equal("Storefront", read.Name);
        Assert.Equal(storefront, changed.Id);
        Assert.Equal("Storefront", (await db.Applications.AsNoTracking().FindForReadAsync(Support, a => a.Id == storefront)).Name);

        var missing = Guid.NewGuid();
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.Applications.FindForReadAsync(OtherOwner, a => a.Id == storefront));
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.Applications.FindForReadAsync(Admin, a => a.Id == missing));
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.Applications.FindForChangeAsync(Support, a => a.Id == storefront));
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.Applications.FindForChangeAsync(AcmeOwner with { ReadOnly = true }, a => a.Id == storefront));
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.Applications.FindForChangeAsync(AcmeOwner, a => a.Id == missing));
    }

    [Fact]
    public void A_new_row_goes_in_an_owners_own_account_or_the_one_an_admin_chose()
    {
        Assert.Equal(Acme, AccountScope.AccountToCreateIn(AcmeOwner, chosen: null));
        // An owner cannot choose another account: theirs is taken.
        Assert.Equal(Acme, AccountScope.AccountToCreateIn(AcmeOwner, chosen: Other));
        Assert.Equal(Other, AccountScope.AccountToCreateIn(Admin, chosen: Other));

        Assert.Throws<AccessDeniedException>(() => AccountScope.AccountToCreateIn(Admin, chosen: null));
        Assert.Throws<AccessDeniedException>(() => AccountScope.AccountToCreateIn(Support, chosen: Acme));
        Assert.Throws<AccessDeniedException>(() => AccountScope.AccountToCreateIn(AcmeOwner with { ReadOnly = true }, chosen: null));
        Assert.Throws<AccessDeniedException>(() => AccountScope.AccountToCreateIn(new Viewer("owner-none", "No Account", Roles.Owner, null), chosen: Acme));
    }
}
