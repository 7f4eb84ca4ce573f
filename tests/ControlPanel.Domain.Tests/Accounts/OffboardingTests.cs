using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// Staff offboarding and the account-security findings of issue 23: what takes power away ends the user's tokens and
/// sign-ins everywhere, the last Admin stays, a wrong current password counts towards lockout, and the 2FA page rotates
/// nothing until the user confirms.
/// </summary>
public sealed class OffboardingTests : AccountTest
{
    private async Task<IssuedAccessToken> TokenAsync(Viewer viewer)
    {
        await using var scope = Identity.CreateScope();
        return await scope.Get<AccessTokenService>().CreateAsync(viewer, new AccessTokenService.Form { Name = "deploy", Scope = AccessTokenScope.ReadWrite });
    }

    private async Task<AccessTokenService.Refusal?> RefusalAsync(IssuedAccessToken token)
    {
        await using var scope = Identity.CreateScope();
        return (await scope.Get<AccessTokenService>().AuthenticateAsync(token.Token, null)).Refused;
    }

    private async Task RunAsync(Func<StaffAdministration, Task> change)
    {
        await using var scope = Identity.CreateScope();
        await change(scope.Get<StaffAdministration>());
    }

    private async Task<string?> StampAsync(string userId)
    {
        await using var db = Database.CreateContext();
        return (await db.Users.SingleAsync(u => u.Id == userId)).SecurityStamp;
    }

    [Fact]
    public async Task Disabling_a_staff_member_revokes_their_tokens_ends_their_sign_ins_and_is_audited()
    {
        var admin = await UserAsync(Roles.Admin);
        var leaver = await UserAsync(Roles.Admin);
        var token = await TokenAsync(leaver);
        Assert.Null(await RefusalAsync(token));
        var stamp = await StampAsync(leaver.UserId);

        await RunAsync(staff => staff.DisableAsync(admin, leaver.UserId));

        Assert.Equal(AccessTokenService.Refusal.Revoked, await RefusalAsync(token));
        Assert.NotEqual(stamp, await StampAsync(leaver.UserId));
        await using (var scope = Identity.CreateScope())
        {
            var user = (await scope.Users().FindByIdAsync(leaver.UserId))!;
            Assert.True(await scope.Users().IsLockedOutAsync(user));
            var listed = Assert.Single(await scope.Get<StaffAdministration>().ListAsync(admin), m => m.UserId == leaver.UserId);
            Assert.True(listed.IsDisabled);
            Assert.Equal(0, listed.LiveTokens);
        }
        await using var db = Database.CreateContext();
        Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == AuditActions.UserDisabled && e.Changes.Contains("1 access token(s) revoked"));
    }

    [Fact]
    public async Task The_last_admin_cannot_be_demoted_disabled_or_removed_and_nobody_offboards_themselves()
    {
        var admin = await UserAsync(Roles.Admin);
        var support = await UserAsync(Roles.Support);

        var demote = await Assert.ThrowsAsync<ValidationException>(() => RunAsync(s => s.ChangeRoleAsync(admin, admin.UserId, Roles.Support)));
        Assert.Equal(StaffAdministration.LastAdmin, demote.Message);
        await Assert.ThrowsAsync<ValidationException>(() => RunAsync(s => s.DisableAsync(admin, admin.UserId)));
        await Assert.ThrowsAsync<ValidationException>(() => RunAsync(s => s.RemoveAsync(admin, admin.UserId)));
        // Support may not offboard anyone; an owner's id is not staff.
        await Assert.ThrowsAsync<AccessDeniedException>(() => RunAsync(s => s.DisableAsync(support, admin.UserId)));

        // With a second Admin, the first may be demoted.
        var second = await UserAsync(Roles.Admin);
        await RunAsync(s => s.ChangeRoleAsync(second, admin.UserId, Roles.Support));
        await using var scope = Identity.CreateScope();
        Assert.Equal([Roles.Support], await scope.Users().GetRolesAsync((await scope.Users().FindByIdAsync(admin.UserId))!));
    }

    [Fact]
    public async Task Losing_the_admin_role_revokes_the_tokens_it_made_and_removing_staff_deletes_them()
    {
        var admin = await UserAsync(Roles.Admin);
        var other = await UserAsync(Roles.Admin);
        var token = await TokenAsync(other);

        await RunAsync(s => s.ChangeRoleAsync(admin, other.UserId, Roles.Support));
        Assert.Equal(AccessTokenService.Refusal.Revoked, await RefusalAsync(token));
        // The person is told by mail, in the change's transaction.
        await using (var mails = Database.CreateContext())
        {
            var notice = Assert.Single(await mails.OutboxMails.Where(m => m.Kind == MailKinds.StaffRoleChanged).ToListAsync());
            Assert.Equal(other.UserId, notice.UserId);
            Assert.Equal("Your ControlPanel role was changed", notice.Subject);
            Assert.Contains("made you Support", notice.TextBody);
        }

        await RunAsync(s => s.RemoveAsync(admin, other.UserId));
        await using var db = Database.CreateContext();
        Assert.False(await db.Users.AnyAsync(u => u.Id == other.UserId));
    }

    [Fact]
    public async Task An_admin_sees_and_revokes_an_owners_tokens_and_signs_them_out()
    {
        var admin = await UserAsync(Roles.Admin);
        var owner = await Identity.RegisterOwnerAsync();
        var ownerViewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        var first = await TokenAsync(ownerViewer);
        var second = await TokenAsync(ownerViewer);

        await using (var scope = Identity.CreateScope())
        {
            var staff = scope.Get<StaffAdministration>();
            Assert.Equal(2, (await staff.TokensAsync(admin, owner.Id)).Count);
            await staff.RevokeTokenAsync(admin, owner.Id, first.Id);
            // Someone else's token id under this user is "not found".
            await Assert.ThrowsAsync<AccessDeniedException>(() => staff.RevokeTokenAsync(admin, admin.UserId, second.Id));
        }
        Assert.Equal(AccessTokenService.Refusal.Revoked, await RefusalAsync(first));
        Assert.Null(await RefusalAsync(second));

        var stamp = await StampAsync(owner.Id);
        await RunAsync(s => s.EndSignInsAsync(admin, owner.Id));
        Assert.Equal(AccessTokenService.Refusal.Revoked, await RefusalAsync(second));
        Assert.NotEqual(stamp, await StampAsync(owner.Id));
    }

    [Fact]
    public async Task Another_instance_hears_that_a_users_sign_ins_ended_through_the_change_feed()
    {
        var admin = await UserAsync(Roles.Admin);
        var leaver = await UserAsync(Roles.Support);
        await using var other = TestDomain.Build(Database, TimeProvider.System);
        var feed = other.GetRequiredService<ChangeFeed>();
        await feed.StartAsync();
        var heard = new List<string>();
        using var watch = other.GetRequiredService<SignInEndings>().Watch(userId => { heard.Add(userId); return Task.CompletedTask; });

        await RunAsync(s => s.DisableAsync(admin, leaver.UserId));
        await feed.CatchUpAsync();

        Assert.Equal([leaver.UserId], heard);
    }

    [Fact]
    public async Task A_disabled_user_cannot_lift_it_with_a_password_reset_link()
    {
        var admin = await UserAsync(Roles.Admin);
        var leaver = await UserAsync(Roles.Support);
        string token;
        await using (var scope = Identity.CreateScope())
        {
            var user = (await scope.Users().FindByIdAsync(leaver.UserId))!;
            token = await scope.Users().GenerateUserTokenAsync(user, PasswordResetOptions.ProviderName, "ResetPassword");
        }
        await RunAsync(s => s.DisableAsync(admin, leaver.UserId));

        await using (var scope = Identity.CreateScope())
        {
            var result = await scope.Get<PasswordRecovery>().ResetAsync(leaver.UserId, token, "Another-password-2");
            Assert.False(result.Succeeded);
            Assert.True(await scope.Users().IsLockedOutAsync((await scope.Users().FindByIdAsync(leaver.UserId))!));
        }
    }

    // ---- findings 2, 3, 5 (first half), 8 (second half) ----

    [Fact]
    public async Task A_password_change_and_a_reset_revoke_the_users_access_tokens()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var viewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        var beforeChange = await TokenAsync(viewer);
        await using (var scope = Identity.CreateScope())
            Assert.True((await scope.Get<PasswordRecovery>().ChangeAsync(viewer, IdentityTestServices.Password, "Changed-password-2")).Succeeded);
        Assert.Equal(AccessTokenService.Refusal.Revoked, await RefusalAsync(beforeChange));

        var beforeReset = await TokenAsync(viewer);
        await using (var scope = Identity.CreateScope())
        {
            var user = (await scope.Users().FindByIdAsync(owner.Id))!;
            var link = await scope.Users().GenerateUserTokenAsync(user, PasswordResetOptions.ProviderName, "ResetPassword");
            Assert.True((await scope.Get<PasswordRecovery>().ResetAsync(owner.Id, link, "Reset-password-3")).Succeeded);
        }
        Assert.Equal(AccessTokenService.Refusal.Revoked, await RefusalAsync(beforeReset));
    }

    [Fact]
    public async Task Wrong_current_passwords_on_the_change_form_lock_the_user_out()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var viewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        await using var scope = Identity.CreateScope();
        var passwords = scope.Get<PasswordRecovery>();
        for (var attempt = 0; attempt < 5; attempt++)
            Assert.False((await passwords.ChangeAsync(viewer, $"Guess-number-{attempt}", "Changed-password-2")).Succeeded);

        // Locked out now: even the right password is refused, and sign-in is locked too.
        var right = await passwords.ChangeAsync(viewer, IdentityTestServices.Password, "Changed-password-2");
        Assert.Equal(PasswordRecovery.LockedOut, Assert.Single(right.Errors).Description);
        Assert.True(await scope.Users().IsLockedOutAsync((await scope.Users().FindByIdAsync(owner.Id))!));
    }

    [Fact]
    public async Task Access_tokens_need_a_confirmed_address_when_confirmation_is_required()
    {
        await using var confirming = await IdentityTestServices.CreateAsync(shared: Database, requireConfirmedEmail: true);
        var owner = await Identity.RegisterOwnerAsync();
        var viewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        await using var scope = confirming.CreateScope();
        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            scope.Get<AccessTokenService>().CreateAsync(viewer, new AccessTokenService.Form { Name = "pre-hijack" }));
        Assert.Equal(EmailConfirmation.NotConfirmedForTokens, refused.Message);
    }

    [Fact]
    public async Task Opening_two_factor_setup_changes_no_stamp_and_keeps_its_key_until_confirmed()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var viewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        var stamp = await StampAsync(owner.Id);

        await using var scope = Identity.CreateScope();
        var settings = scope.Get<TwoFactorSettings>();
        var first = await settings.GetAsync(viewer);
        var again = await settings.GetAsync(viewer);

        Assert.False(first.Enabled);
        Assert.False(string.IsNullOrEmpty(first.SharedKey));
        Assert.Equal(first.SharedKey, again.SharedKey);
        // Other browsers stay signed in: the security stamp is what every request checks.
        Assert.Equal(stamp, await StampAsync(owner.Id));
    }

    [Fact]
    public async Task Turning_two_factor_off_revokes_tokens_and_is_refused_to_staff_who_must_keep_it()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var viewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        await using (var scope = Identity.CreateScope())
        {
            var user = (await scope.Users().FindByIdAsync(owner.Id))!;
            Assert.True((await scope.Users().ResetAuthenticatorKeyAsync(user)).Succeeded);
            Assert.True((await scope.Users().SetTwoFactorEnabledAsync(user, true)).Succeeded);
        }
        var token = await TokenAsync(viewer);
        await using (var scope = Identity.CreateScope())
        {
            var settings = scope.Get<TwoFactorSettings>();
            Assert.Equal(TwoFactorSettings.BadProof, (await Assert.ThrowsAsync<ValidationException>(() => settings.DisableAsync(viewer, "not-my-password"))).Message);
            await settings.DisableAsync(viewer, IdentityTestServices.Password);
            Assert.False((await settings.GetAsync(viewer)).Enabled);
        }
        Assert.Equal(AccessTokenService.Refusal.Revoked, await RefusalAsync(token));

        var support = await UserAsync(Roles.Support);
        await using (var scope = Identity.CreateScope())
            Assert.Equal(TwoFactorSettings.StaffMustKeep,
                (await Assert.ThrowsAsync<ValidationException>(() => scope.Get<TwoFactorSettings>().DisableAsync(support, IdentityTestServices.Password))).Message);
    }
}
