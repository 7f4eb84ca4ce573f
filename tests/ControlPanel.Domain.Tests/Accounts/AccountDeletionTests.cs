using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Tests.Webhooks;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// Deleting a whole account: its Owner only, with its name typed; its keys and its members' access stop at once; an Admin may
/// restore it during the grace period; after it, the hourly job erases its personal data and the audit log keeps ids only.
/// The job's clock is the test's: no waiting.
/// </summary>
public sealed class AccountDeletionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(TestClock.Start);
    private WebhookTestBed bed = default!;
    private AccountDeletion deletion = default!;
    private AccountMembers members = default!;
    private ApplicationService.Created created = default!;
    private Guid endpointId;

    private Viewer Developer => new("developer-id", "Dana Developer", Roles.Developer, bed.AcmeId);

    public async Task InitializeAsync()
    {
        bed = await WebhookTestBed.CreateAsync(clock: clock);
        await bed.Changes.StartAsync();
        deletion = bed.Services.GetRequiredService<AccountDeletion>();
        members = bed.Services.GetRequiredService<AccountMembers>();
        var otherId = bed.OtherOwner.AccountId!.Value;
        await using (var db = bed.Database.CreateContext())
        {
            // The developer also belongs to the other account, so erasing Acme keeps their sign-in.
            foreach (var (id, accountId, role) in new (string, Guid, string)[]
            {
                (bed.Owner.UserId, bed.AcmeId, Roles.Owner), ("developer-id", bed.AcmeId, Roles.Developer),
                (bed.OtherOwner.UserId, otherId, Roles.Owner), ("developer-id", otherId, Roles.Viewer),
            })
            {
                if (await db.Users.FindAsync(id) is null)
                    db.Users.Add(new ControlPanelUser { Id = id, UserName = $"{id}@acme.test", Email = $"{id}@acme.test", DisplayName = id, AccountId = accountId });
                db.AccountMembers.Add(new AccountMember { AccountId = accountId, UserId = id, Role = role, CreatedAt = clock.GetUtcNow().UtcDateTime.AddMinutes(accountId == bed.AcmeId ? 0 : 1) });
                await db.SaveChangesAsync();
            }
            db.NoticeRecipients.Add(new NoticeRecipients { AccountId = bed.AcmeId, Addresses = "team@acme.test", Confirmed = "team@acme.test" });
            await db.SaveChangesAsync();
        }
        created = await bed.CreateApplicationAsync();
        endpointId = (await bed.AddEndpointAsync("https://hooks.example.test/acme")).EndpointId;
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private bool KeysWork() => bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, clock.GetUtcNow().UtcDateTime) is not null
        && bed.Directory.Find(created.Application.Id) is not null;

    [Fact]
    public async Task Only_the_accounts_Owner_deletes_it_and_only_with_its_exact_name()
    {
        foreach (var refused in new[] { Developer, bed.OtherOwner, bed.Admin, bed.Support, bed.Owner with { ReadOnly = true } })
            await Assert.ThrowsAsync<AccessDeniedException>(() => deletion.DeleteAsync(refused, bed.AcmeId, "Acme"));
        var wrongName = await Assert.ThrowsAsync<ValidationException>(() => deletion.DeleteAsync(bed.Owner, bed.AcmeId, "acme"));
        Assert.Contains("Acme", wrongName.Message);
        Assert.True(KeysWork());

        var erasesAt = await deletion.DeleteAsync(bed.Owner, bed.AcmeId, "Acme");
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(30), erasesAt);
        // Deleted once: a second time it is not there to delete.
        await Assert.ThrowsAsync<AccessDeniedException>(() => deletion.DeleteAsync(bed.Owner, bed.AcmeId, "Acme"));
    }

    [Fact]
    public async Task During_the_grace_period_its_keys_and_members_stop_and_an_Admin_restores_it_as_it_was()
    {
        await deletion.DeleteAsync(bed.Owner, bed.AcmeId, "Acme");

        Assert.False(KeysWork());
        Assert.Equal(204, (await bed.Check.CheckAsync(WebhookTestBed.Call(created.Keys.ApplicationKey, created.Keys.ConsumerKey))).Error?.Code);
        var acting = await members.ActingAsync(bed.Owner with { Role = "", AccountId = null }, bed.AcmeId);
        Assert.Null(acting.AccountId);
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Applications.ListAsync(acting));
        // The developer's other account is untouched and now the one they land in.
        Assert.Equal([bed.OtherOwner.AccountId!.Value], (await members.OfAsync("developer-id")).Select(m => m.AccountId));
        // A restarted instance reads the same.
        await bed.Index.ReloadAsync();
        await bed.Directory.ReloadAsync();
        Assert.False(KeysWork());

        await Assert.ThrowsAsync<AccessDeniedException>(() => deletion.RestoreAsync(bed.Support, bed.AcmeId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => deletion.RestoreAsync(bed.Owner, bed.AcmeId));
        clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await deletion.EraseDueAsync());
        await deletion.RestoreAsync(bed.Admin, bed.AcmeId);

        Assert.True(KeysWork());
        Assert.Equal(bed.AcmeId, (await members.ActingAsync(bed.Owner, bed.AcmeId)).AccountId);
        Assert.Single(await bed.Endpoints.ListAsync(bed.Owner));
        var audit = (await bed.Audit.SearchAsync(bed.Admin, new AuditLog.Filter(AccountId: bed.AcmeId))).Entries;
        Assert.Contains(audit, e => e.Action == AuditActions.AccountDeleted && e.ActorName == "Olivia Owner");
        Assert.Contains(audit, e => e.Action == AuditActions.AccountRestored && e.ActorName == "Ada Admin");
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await deletion.EraseDueAsync());
        await Assert.ThrowsAsync<ValidationException>(() => deletion.RestoreAsync(bed.Admin, bed.AcmeId));
    }

    [Fact]
    public async Task After_the_grace_period_personal_data_is_erased_and_the_audit_log_keeps_ids_only()
    {
        await bed.Keys.RevokeAsync(bed.Owner, created.Application.Id, created.Keys.KeyPairId);
        await deletion.DeleteAsync(bed.Owner, bed.AcmeId, "Acme");
        clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal(1, await deletion.EraseDueAsync());
        Assert.Equal(0, await deletion.EraseDueAsync());

        await using var db = bed.Database.CreateContext();
        var account = await db.Accounts.SingleAsync(a => a.Id == bed.AcmeId);
        Assert.Equal((AccountDeletion.ErasedAccountName, clock.GetUtcNow().UtcDateTime), (account.Name, account.ErasedAt));
        // The owner belonged only to Acme: gone. The developer keeps their sign-in, in their other account.
        Assert.Null(await db.Users.FindAsync(bed.Owner.UserId));
        var developer = await db.Users.SingleAsync(u => u.Id == "developer-id");
        Assert.Equal(bed.OtherOwner.AccountId, developer.AccountId);
        Assert.False(await db.AccountMembers.AnyAsync(m => m.AccountId == bed.AcmeId));
        Assert.False(await db.NoticeRecipients.AnyAsync(r => r.AccountId == bed.AcmeId));
        Assert.False(await db.WebhookEvents.AnyAsync(e => e.AccountId == bed.AcmeId));
        var endpoint = await db.WebhookEndpoints.IgnoreQueryFilters().SingleAsync(e => e.Id == endpointId);
        Assert.Equal(("", "", null), (endpoint.Url, endpoint.ProtectedSecret, endpoint.ProtectedVerificationSecret));
        var application = await db.Applications.IgnoreQueryFilters().SingleAsync(a => a.Id == created.Application.Id);
        Assert.Equal((AccountDeletion.ErasedApplicationName, ""), (application.Name, application.CreatedBy));
        Assert.NotNull(application.DeletedAt);
        var pair = await db.KeyPairs.SingleAsync(p => p.Id == created.Keys.KeyPairId);
        Assert.Equal(("", null), (pair.CreatedBy, pair.RevokedBy));

        var entries = await db.AuditEntries.Where(e => e.AccountId == bed.AcmeId).ToListAsync();
        Assert.Contains(entries, e => e.Action == AuditActions.KeysRevoked && e.ActorUserId == bed.Owner.UserId);
        Assert.Contains(entries, e => e.Action == AuditActions.AccountErased);
        foreach (var entry in entries.Where(e => e.Action != AuditActions.AccountErased))
            Assert.Equal((entry.ActorUserId, AccountDeletion.ErasedText, (string?)null), (entry.ActorName, entry.Changes, entry.ClientIp));
        var everything = string.Join("\n", entries.Select(e => $"{e.ActorName} {e.Changes} {e.ClientIp}"));
        foreach (var personal in new[] { "Olivia", "Acme", "Storefront", "hooks.example.test", "192.0.2.10" })
            Assert.DoesNotContain(personal, everything);
    }
}
