using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Tests.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.AccessTokens;

public sealed class AccessTokenServiceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(TestClock.Start);
    private TestDatabase database = default!;
    private IdentityTestServices identity = default!;
    private AccessTokenService tokens = default!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateMigratedAsync();
        identity = await IdentityTestServices.CreateAsync(shared: database);
        await identity.EnsureRolesAsync();
        tokens = new AccessTokenService(database.Factory, clock);
    }

    public async Task DisposeAsync()
    {
        await identity.DisposeAsync();
        database.Dispose();
    }

    private async Task<Viewer> OwnerAsync(string account = "Acme")
    {
        await using var scope = identity.CreateScope();
        var (result, owner) = await scope.Get<Registration>().RegisterOwnerAsync(new Registration.Form
        {
            AccountName = account,
            DisplayName = "Olivia Owner",
            Email = $"{Guid.NewGuid():N}@tokens.test",
            Password = IdentityTestServices.Password,
            ConfirmPassword = IdentityTestServices.Password,
        });
        Assert.True(result.Succeeded);
        return new Viewer(owner!.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
    }

    private async Task<Viewer> StaffAsync(string role)
    {
        await using var scope = identity.CreateScope();
        var user = new ControlPanelUser { UserName = $"{Guid.NewGuid():N}@tokens.test", Email = $"{Guid.NewGuid():N}@tokens.test", DisplayName = $"{role} person" };
        Assert.True((await scope.Users().CreateAsync(user, IdentityTestServices.Password)).Succeeded);
        Assert.True((await scope.Users().AddToRoleAsync(user, role)).Succeeded);
        return new Viewer(user.Id, user.DisplayName, role, null);
    }

    private Task<IssuedAccessToken> CreateAsync(Viewer viewer, AccessTokenScope scope = AccessTokenScope.ReadWrite, AccessTokenExpiry expiry = AccessTokenExpiry.ThirtyDays, string name = "deploy") =>
        tokens.CreateAsync(viewer, new AccessTokenService.Form { Name = name, Scope = scope, Expiry = expiry });

    [Fact]
    public async Task A_token_is_shown_once_stored_only_as_its_hash_and_listed_with_its_expiry()
    {
        var owner = await OwnerAsync();
        var issued = await CreateAsync(owner, expiry: AccessTokenExpiry.NinetyDays, name: "  pipeline  ");
        Assert.Matches("^cpat_[0-9a-f]{48}$", issued.Token);
        Assert.DoesNotContain(issued.Token, issued.ToString());

        await using (var db = database.CreateContext())
        {
            var row = await db.AccessTokens.SingleAsync();
            Assert.Equal(AccessTokenFormat.Hash(issued.Token), row.TokenHash);
            Assert.DoesNotContain(issued.Token[5..], row.TokenHash + row.Last4 + row.Name);
            Assert.DoesNotContain(await db.AuditEntries.ToListAsync(), e => e.Changes.Contains(issued.Token[5..]));
        }
        var listed = Assert.Single(await tokens.ListAsync(owner));
        Assert.Equal(("pipeline", AccessTokenScope.ReadWrite, $"cpat_…{issued.Token[^4..]}", AccessTokenState.Active, clock.GetUtcNow().UtcDateTime.AddDays(90), (DateTime?)null),
            (listed.Name, listed.Scope, listed.Hint, listed.State, listed.ExpiresAt, listed.LastUsedAt));

        var forever = await CreateAsync(owner, expiry: AccessTokenExpiry.Never, name: "forever");
        Assert.Null(forever.ExpiresAt);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(365), (await CreateAsync(owner, expiry: AccessTokenExpiry.OneYear, name: "year")).ExpiresAt);
    }

    [Fact]
    public async Task A_token_acts_as_its_creator_narrowed_to_its_scope_and_records_its_last_use()
    {
        var owner = await OwnerAsync();
        var other = await OwnerAsync("Other");
        var writer = await CreateAsync(owner, AccessTokenScope.ReadWrite, name: "writer");
        var reader = await CreateAsync(owner, AccessTokenScope.ReadOnly, name: "reader");

        clock.Advance(TimeSpan.FromMinutes(5));
        var write = (await tokens.AuthenticateAsync(writer.Token, "203.0.113.7")).Use!;
        Assert.Equal((owner.UserId, Roles.Owner, owner.AccountId, "203.0.113.7", "Olivia Owner (token \"writer\")"),
            (write.Viewer.UserId, write.Viewer.Role, write.Viewer.AccountId, write.Viewer.ClientIp, write.Viewer.Name));
        Assert.True(write.Viewer.CanChange(owner.AccountId!.Value));
        Assert.False(write.Viewer.CanChange(other.AccountId!.Value));
        Assert.False(write.Viewer.CanRead(other.AccountId!.Value));

        var read = (await tokens.AuthenticateAsync(reader.Token, null)).Use!;
        Assert.True(read.ReadOnly);
        Assert.True(read.Viewer.CanRead(owner.AccountId!.Value));
        Assert.False(read.Viewer.CanChange(owner.AccountId!.Value));
        // A token cannot make or see tokens: that needs the person.
        await Assert.ThrowsAsync<AccessDeniedException>(() => CreateAsync(read.Viewer));

        // Authenticating writes nothing: the management API records a use only once the call is let in (AccessTokenAdmission).
        Assert.All(await tokens.ListAsync(owner), r => Assert.Null(r.LastUsedAt));
        await tokens.RecordUseAsync(write);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, (await tokens.ListAsync(owner)).Single(r => r.Name == "writer").LastUsedAt);
    }

    [Fact]
    public async Task Unknown_malformed_expired_and_revoked_tokens_are_refused()
    {
        var owner = await OwnerAsync();
        var issued = await CreateAsync(owner, expiry: AccessTokenExpiry.ThirtyDays);
        Assert.Equal(AccessTokenService.Refusal.Missing, (await tokens.AuthenticateAsync(null, null)).Refused);
        Assert.Equal(AccessTokenService.Refusal.Unknown, (await tokens.AuthenticateAsync("cpat_" + new string('a', 48), null)).Refused);
        Assert.Equal(AccessTokenService.Refusal.Unknown, (await tokens.AuthenticateAsync(issued.Token.ToUpperInvariant(), null)).Refused);
        Assert.Equal(AccessTokenService.Refusal.Unknown, (await tokens.AuthenticateAsync(issued.Token + "0", null)).Refused);

        clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.NotNull((await tokens.AuthenticateAsync(issued.Token, null)).Use);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AccessTokenService.Refusal.Expired, (await tokens.AuthenticateAsync(issued.Token, null)).Refused);
        Assert.Equal(AccessTokenState.Expired, (await tokens.ListAsync(owner)).Single().State);

        var revoked = await CreateAsync(owner, name: "revoked");
        await tokens.RevokeAsync(owner, revoked.Id);
        Assert.Equal(AccessTokenService.Refusal.Revoked, (await tokens.AuthenticateAsync(revoked.Token, null)).Refused);
        await Assert.ThrowsAsync<ValidationException>(() => tokens.RevokeAsync(owner, revoked.Id));
    }

    [Fact]
    public async Task A_locked_account_or_a_removed_user_stops_their_tokens()
    {
        var owner = await OwnerAsync();
        var issued = await CreateAsync(owner);
        await using (var db = database.CreateContext())
        {
            (await db.Accounts.SingleAsync(a => a.Id == owner.AccountId)).IsLocked = true;
            await db.SaveChangesAsync();
        }
        Assert.Equal(AccessTokenService.Refusal.AccountLocked, (await tokens.AuthenticateAsync(issued.Token, null)).Refused);

        var admin = await StaffAsync(Roles.Admin);
        var adminToken = await CreateAsync(admin);
        Assert.NotNull((await tokens.AuthenticateAsync(adminToken.Token, null)).Use);
        await using (var scope = identity.CreateScope())
            Assert.True((await scope.Users().DeleteAsync((await scope.Users().FindByIdAsync(admin.UserId))!)).Succeeded);
        Assert.Null((await tokens.AuthenticateAsync(adminToken.Token, null)).Use);
    }

    [Fact]
    public async Task Support_makes_no_tokens_and_a_token_of_someone_moved_to_support_only_reads()
    {
        var support = await StaffAsync(Roles.Support);
        await Assert.ThrowsAsync<AccessDeniedException>(() => CreateAsync(support));
        await Assert.ThrowsAsync<AccessDeniedException>(() => tokens.ListAsync(support));

        var admin = await StaffAsync(Roles.Admin);
        var issued = await CreateAsync(admin, AccessTokenScope.ReadWrite);
        Assert.False((await tokens.AuthenticateAsync(issued.Token, null)).Use!.ReadOnly);
        await using (var scope = identity.CreateScope())
        {
            var user = (await scope.Users().FindByIdAsync(admin.UserId))!;
            await scope.Users().RemoveFromRoleAsync(user, Roles.Admin);
            await scope.Users().AddToRoleAsync(user, Roles.Support);
        }
        var use = (await tokens.AuthenticateAsync(issued.Token, null)).Use!;
        Assert.Equal((Roles.Support, true, AccessTokenScope.ReadOnly), (use.Viewer.Role, use.ReadOnly, use.Scope));
        Assert.False(use.Viewer.CanChange(Guid.NewGuid()));
    }

    [Fact]
    public async Task People_list_and_revoke_only_their_own_tokens_and_each_create_revoke_and_write_is_audited()
    {
        var owner = await OwnerAsync();
        var other = await OwnerAsync("Other");
        var issued = await CreateAsync(owner, name: "ci");
        Assert.Empty(await tokens.ListAsync(other));
        await Assert.ThrowsAsync<AccessDeniedException>(() => tokens.RevokeAsync(other, issued.Id));
        Assert.NotNull((await tokens.AuthenticateAsync(issued.Token, null)).Use);

        var use = (await tokens.AuthenticateAsync(issued.Token, "198.51.100.4")).Use!;
        await tokens.RecordWriteAsync(use, "POST", "/api/v1/manage/applications", 201);
        await tokens.RevokeAsync(owner, issued.Id);

        await using var db = database.CreateContext();
        var entries = await db.AuditEntries.OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditActions.AccessTokenCreated, AuditActions.AccessTokenUsed, AuditActions.AccessTokenRevoked], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(owner.AccountId, e.AccountId));
        Assert.Equal("Access token \"ci\": POST /api/v1/manage/applications → 201", entries[1].Changes);
        Assert.Equal(("Olivia Owner (token \"ci\")", "198.51.100.4"), (entries[1].ActorName, entries[1].ClientIp));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_token_needs_a_name(string name)
    {
        var owner = await OwnerAsync();
        var refused = await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(owner, name: name));
        Assert.Equal("Enter a name.", refused.Message);
        Assert.Contains(nameof(AccessTokenService.Form.Name), refused.ValidationResult.MemberNames);
        Assert.Empty(await tokens.ListAsync(owner));
    }
}
