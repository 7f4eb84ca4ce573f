using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Tests.Requests;
using ControlPanel.Domain.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Applications;

/// <summary>
/// Deleting an application: Owners and Developers of its account (and Admins) may; its keys then answer as unknown keys at
/// once, it leaves lists and pages, and its usage history and audit log stay, naming it deleted.
/// </summary>
public sealed class ApplicationDeletionTests : IAsyncLifetime
{
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();
    public Task DisposeAsync() { harness.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Only_an_Owner_or_Developer_of_its_account_or_an_Admin_deletes_an_application()
    {
        var (accountId, applicationId, _) = await harness.CreateApplicationAsync();
        var refused = new[]
        {
            new Viewer("viewer-id", "Vera Viewer", Roles.Viewer, accountId),
            new Viewer("support-id", "Sam Support", Roles.Support, null),
            new Viewer("other-id", "Mallory", Roles.Owner, Guid.NewGuid()),
            new Viewer("token-id", "Read-only token", Roles.Owner, accountId) { ReadOnly = true },
        };
        foreach (var viewer in refused)
            await Assert.ThrowsAsync<AccessDeniedException>(() => harness.ApplicationService.DeleteAsync(viewer, applicationId));
        Assert.NotNull(harness.Applications.Find(applicationId));

        var developer = new Viewer("developer-id", "Dana Developer", Roles.Developer, accountId);
        await harness.ApplicationService.DeleteAsync(developer, applicationId);
        Assert.Null(harness.Applications.Find(applicationId));
        // Deleted once: a second delete finds nothing, like any other id.
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.ApplicationService.DeleteAsync(developer, applicationId));

        var (_, second, _) = await harness.CreateApplicationAsync(name: "Backoffice");
        await harness.ApplicationService.DeleteAsync(CheckHarness.Admin, second);
        Assert.Null(harness.Applications.Find(second));
    }

    [Fact]
    public async Task A_deleted_applications_keys_answer_as_unknown_keys_and_it_leaves_lists_and_pages()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
        var owner = new Viewer("owner-id", "Olivia Owner", Roles.Owner, accountId);

        await harness.ApplicationService.DeleteAsync(owner, applicationId);

        var now = harness.Clock.GetUtcNow().UtcDateTime;
        Assert.Null(harness.Keys.Find(keys.ApplicationKey, keys.ConsumerKey, now));
        Assert.Null(harness.Keys.FindById(keys.KeyPairId, now));
        Assert.Equal(204, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);
        Assert.Empty(await harness.ApplicationService.ListAsync(owner));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.ApplicationService.GetAsync(CheckHarness.Admin, applicationId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.KeyService.ListAsync(owner, applicationId));

        // A full reload (a restarted instance) leaves it out too.
        await harness.Keys.ReloadAsync();
        await harness.Applications.ReloadAsync();
        Assert.Null(harness.Keys.Find(keys.ApplicationKey, keys.ConsumerKey, now));
        Assert.Null(harness.Applications.Find(applicationId));

        // Its name is free for a new application.
        var again = await harness.ApplicationService.CreateAsync(owner, new ApplicationService.Form { Name = "Storefront" });
        Assert.NotEqual(applicationId, again.Application.Id);
    }

    [Fact]
    public async Task Usage_history_and_the_audit_log_keep_a_deleted_application_marked_deleted()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
        await harness.Usage.FlushAsync(harness.Clock.GetUtcNow().UtcDateTime.AddMinutes(1));
        var owner = new Viewer("owner-id", "Olivia Owner", Roles.Owner, accountId);

        await harness.ApplicationService.DeleteAsync(owner, applicationId);

        var reports = harness.Services.GetRequiredService<UsageReports>();
        var today = DateOnly.FromDateTime(harness.Clock.GetUtcNow().UtcDateTime);
        var history = await reports.HistoryAsync(owner, new UsageReports.Filter(From: today.AddDays(-1), To: today), new UsageReports.HistorySort(), 0, 50);
        var row = Assert.Single(history.Rows);
        Assert.Equal((applicationId, "Storefront" + Application.DeletedSuffix, 1L), (row.ApplicationId, row.ApplicationName, row.Allowed));

        var audit = await harness.Services.GetRequiredService<AuditLog>().SearchAsync(owner, new AuditLog.Filter(ApplicationId: applicationId));
        var deleted = Assert.Single(audit.Entries, e => e.Action == AuditActions.ApplicationDeleted);
        Assert.Equal("Olivia Owner", deleted.ActorName);
        Assert.Contains("Storefront", deleted.Changes);
        Assert.Contains(audit.Entries, e => e.Action == AuditActions.ApplicationCreated);
    }
}
