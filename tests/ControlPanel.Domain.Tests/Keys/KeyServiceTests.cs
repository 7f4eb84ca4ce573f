using System.ComponentModel.DataAnnotations;
using System.Text;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Keys;

public class KeyServiceTests
{
    [Fact]
    public async Task The_database_file_never_holds_the_plaintext_keys()
    {
        await using var bed = await KeyTestBed.CreateAsync();
        var created = await bed.CreateApplicationAsync();
        var rotated = await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.OneHour);

        await using (var db = bed.Database.CreateContext())
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        var bytes = Directory.GetFiles(bed.Database.Folder).SelectMany(File.ReadAllBytes).ToArray();
        var content = Encoding.ASCII.GetString(bytes);
        foreach (var key in new[] { created.Keys.ApplicationKey, created.Keys.ConsumerKey, rotated.ApplicationKey, rotated.ConsumerKey })
        {
            Assert.DoesNotContain(key, content, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(ApiKey.HashHex(key), content);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Issued_keys_are_found_at_once_and_a_wrong_consumer_key_is_not(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var created = await bed.CreateApplicationAsync();

        var match = bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(created.Keys.KeyPairId, match?.KeyPairId);
        Assert.Equal(created.Application.Id, match?.ApplicationId);
        Assert.Null(bed.Index.Find(created.Keys.ApplicationKey, ApiKey.New(), bed.Clock.GetUtcNow().UtcDateTime));
        Assert.Null(bed.Index.Find(created.Keys.ConsumerKey, created.Keys.ApplicationKey, bed.Clock.GetUtcNow().UtcDateTime));
        Assert.Equal(created.Keys.KeyPairId, bed.Index.Find(created.Keys.ApplicationKey.ToUpperInvariant(), created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime)?.KeyPairId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_rotated_pair_keeps_working_for_the_grace_period_then_expires_by_itself(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var created = await bed.CreateApplicationAsync();
        var rotated = await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.OneHour);

        Assert.NotNull(bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
        Assert.NotNull(bed.Index.Find(rotated.ApplicationKey, rotated.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
        var pairs = await bed.Keys.ListAsync(bed.Owner, created.Application.Id);
        Assert.Equal(2, pairs.Count(p => p.IsLive));
        Assert.Equal(bed.Clock.GetUtcNow().UtcDateTime.AddHours(1), pairs.Single(p => p.Id == created.Keys.KeyPairId).ExpiresAt);

        bed.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
        bed.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
        Assert.NotNull(bed.Index.Find(rotated.ApplicationKey, rotated.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
        Assert.Single(await bed.Keys.ListAsync(bed.Owner, created.Application.Id), p => p.IsLive);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rotating_immediately_ends_the_old_pair_at_once(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
        Assert.Null(bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_second_rotation_never_extends_an_earlier_shorter_grace(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.OneHour);
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.SevenDays);
        bed.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Revocation_ends_a_pair_at_once_and_is_audited(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RevokeAsync(bed.Owner, created.Application.Id, created.Keys.KeyPairId);

        Assert.Null(bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
        var pair = Assert.Single(await bed.Keys.ListAsync(bed.Owner, created.Application.Id));
        Assert.Equal(bed.Clock.GetUtcNow().UtcDateTime, pair.RevokedAt);
        Assert.Equal("Olivia Owner", pair.RevokedBy);
        await Assert.ThrowsAsync<ValidationException>(() => bed.Keys.RevokeAsync(bed.Owner, created.Application.Id, created.Keys.KeyPairId));

        var audit = await bed.Audit.SearchAsync(bed.Owner, new AuditLog.Filter(ApplicationId: created.Application.Id));
        Assert.Equal([AuditActions.KeysRevoked, AuditActions.ApplicationCreated], audit.Entries.Select(e => e.Action));
        Assert.All(audit.Entries, e => Assert.Equal("192.0.2.10", e.ClientIp));
        Assert.All(audit.Entries, e => Assert.DoesNotContain(created.Keys.ApplicationKey, e.Changes));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_accounts_owner_and_support_cannot_change_keys_and_nothing_changes(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var created = await bed.CreateApplicationAsync();
        var id = created.Application.Id;

        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Keys.RotateAsync(bed.OtherOwner, id, RotationGrace.Immediately));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Keys.RevokeAsync(bed.OtherOwner, id, created.Keys.KeyPairId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Keys.ListAsync(bed.OtherOwner, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Applications.GetAsync(bed.OtherOwner, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Keys.RotateAsync(bed.Support, id, RotationGrace.Immediately));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Keys.RevokeAsync(bed.Support, id, created.Keys.KeyPairId));

        Assert.NotNull(bed.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, bed.Clock.GetUtcNow().UtcDateTime));
        Assert.Single(await bed.Keys.ListAsync(bed.Admin, id));
        Assert.Empty(await bed.Applications.ListAsync(bed.OtherOwner));
        var supportView = Assert.Single(await bed.Keys.ListAsync(bed.Support, id));
        Assert.DoesNotContain(created.Keys.ApplicationKey[^4..], supportView.ApplicationKeyLast4);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Application_names_are_unique_within_an_account_ignoring_case_but_not_across_accounts(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        await bed.CreateApplicationAsync("Storefront");
        var error = await Assert.ThrowsAsync<ValidationException>(() => bed.CreateApplicationAsync("STOREFRONT"));
        Assert.Contains("already exists", error.Message);
        await bed.Applications.CreateAsync(bed.OtherOwner, new() { Name = "Storefront" });
        await Assert.ThrowsAsync<ValidationException>(() => bed.CreateApplicationAsync(""));
        await Assert.ThrowsAsync<ValidationException>(() => bed.CreateApplicationAsync(new string('x', 81)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_application_change_is_audited_with_before_and_after(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var created = await bed.CreateApplicationAsync();
        // The default view is one of the application's views: added to the list first.
        await new ApplicationViews(bed.Database.Factory, bed.Changes, bed.Clock).AddAsync(bed.Owner, created.Application.Id, new() { Name = "catalogue" });
        await bed.Applications.UpdateAsync(bed.Owner, created.Application.Id, new()
        {
            Name = "Shop",
            Environment = ApplicationEnvironment.Live,
            IsOnline = false,
            DefaultView = "catalogue",
        });
        var entries = (await bed.Audit.SearchAsync(bed.Admin, new AuditLog.Filter(ApplicationId: created.Application.Id))).Entries;
        Assert.Contains(entries, e => e.Action == AuditActions.ApplicationRenamed && e.Changes == "Name: \"Storefront\" → \"Shop\"");
        Assert.Contains(entries, e => e.Action == AuditActions.ApplicationEnvironmentChanged && e.Changes == "Environment: Development → Live");
        Assert.Contains(entries, e => e.Action == AuditActions.ApplicationStatusChanged && e.Changes == "Status: online → offline");
        Assert.Contains(entries, e => e.Action == AuditActions.ApplicationViewChanged);
        Assert.Empty((await bed.Audit.SearchAsync(bed.OtherOwner, new AuditLog.Filter())).Entries);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Last_used_times_are_gathered_in_memory_and_written_in_one_flush(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var created = await bed.CreateApplicationAsync();
        bed.Index.RecordUse(created.Keys.KeyPairId, bed.Clock.GetUtcNow().UtcDateTime.AddSeconds(5));
        bed.Index.RecordUse(created.Keys.KeyPairId, bed.Clock.GetUtcNow().UtcDateTime.AddSeconds(3));
        Assert.Null(Assert.Single(await bed.Keys.ListAsync(bed.Owner, created.Application.Id)).LastUsedAt);

        await bed.Index.FlushUsesAsync();
        Assert.Equal(bed.Clock.GetUtcNow().UtcDateTime.AddSeconds(5), Assert.Single(await bed.Keys.ListAsync(bed.Owner, created.Application.Id)).LastUsedAt);
    }
}
