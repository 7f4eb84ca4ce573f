using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// Naming, listing, renaming and removing passkeys, and what they count for. The passkeys here are what Identity's
/// attestation hands over (its checks of the browser's answer are Identity's, run in the browser tests).
/// </summary>
public class PasskeysTests
{
    private static int made;

    /// <summary>Each a second after the one before, so the list's order is known.</summary>
    private static UserPasskeyInfo NewPasskey() => new(
        RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(77), new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero).AddSeconds(Interlocked.Increment(ref made)), 0, ["internal"],
        isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [1, 2, 3], clientDataJson: [4, 5, 6]);

    /// <summary>The user as the account page hands them to the service: themselves, signed in.</summary>
    private static Viewer As(ControlPanelUser user) => new(user.Id, user.DisplayName, "", user.AccountId);

    private static async Task<(IdentityTestServices Services, ControlPanelUser Owner)> OwnerAsync()
    {
        var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();
        return (services, await services.RegisterOwnerAsync());
    }

    [Fact]
    public async Task An_owner_names_lists_renames_and_removes_passkeys_each_change_audited_and_mailed()
    {
        var (services, owner) = await OwnerAsync();
        await using var _ = services;
        await using (var scope = services.CreateScope())
        {
            var user = (await scope.Users().FindByIdAsync(owner.Id))!;
            var passkeys = scope.Get<Passkeys>();
            await Assert.ThrowsAsync<ValidationException>(() => passkeys.AddAsync(As(user), NewPasskey(), new Passkeys.NameForm { Name = " " }));
            await Assert.ThrowsAsync<ValidationException>(() => passkeys.AddAsync(As(user), NewPasskey(), new Passkeys.NameForm { Name = new string('x', 51) }));
            await passkeys.AddAsync(As(user), NewPasskey(), new Passkeys.NameForm { Name = " Work laptop " });
            await passkeys.AddAsync(As(user), NewPasskey(), new Passkeys.NameForm { Name = "Phone" });

            var listed = await passkeys.ListAsync(As(user));
            Assert.Equal(["Work laptop", "Phone"], listed.Select(p => p.Name));
            await passkeys.RenameAsync(As(user), listed[0].Id, new Passkeys.NameForm { Name = "Old laptop" });
            await passkeys.RemoveAsync(As(user), listed[1].Id);
            Assert.Equal(["Old laptop"], (await passkeys.ListAsync(As(user))).Select(p => p.Name));
            await Assert.ThrowsAsync<ValidationException>(() => passkeys.RemoveAsync(As(user), listed[1].Id));
            await Assert.ThrowsAsync<ValidationException>(() => passkeys.RemoveAsync(As(user), "not base64url!"));
        }

        await using var db = services.CreateContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.PasskeyAdded));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.PasskeyRemoved));
        var mails = await db.OutboxMails.Where(m => m.Kind == MailKinds.PasskeyChanged).ToListAsync();
        Assert.Equal(3, mails.Count);
        Assert.All(mails, m => Assert.Equal("olive@controlpanel.test", m.To));
        // The user's own words stay out of the subject.
        Assert.All(mails, m => Assert.DoesNotContain("laptop", m.Subject, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task One_users_passkey_cannot_be_renamed_or_removed_by_another()
    {
        var (services, owner) = await OwnerAsync();
        await using var _ = services;
        await using var scope = services.CreateScope();
        var users = scope.Users();
        var user = (await users.FindByIdAsync(owner.Id))!;
        var other = new ControlPanelUser { UserName = "mallory@controlpanel.test", Email = "mallory@controlpanel.test" };
        Assert.True((await users.CreateAsync(other, "Mallory-password-1")).Succeeded);
        var passkeys = scope.Get<Passkeys>();
        await passkeys.AddAsync(As(user), NewPasskey(), new Passkeys.NameForm { Name = "Mine" });
        var id = (await passkeys.ListAsync(As(user))).Single().Id;

        await Assert.ThrowsAsync<ValidationException>(() => passkeys.RemoveAsync(As(other), id));
        await Assert.ThrowsAsync<ValidationException>(() => passkeys.RenameAsync(As(other), id, new Passkeys.NameForm { Name = "Theirs" }));
        Assert.Equal("Mine", (await passkeys.ListAsync(As(user))).Single().Name);
    }

    [Fact]
    public async Task A_passkey_is_a_second_factor_and_staff_with_only_a_passkey_must_sign_in_with_it()
    {
        var (services, owner) = await OwnerAsync();
        await using var _ = services;
        await using var scope = services.CreateScope();
        var users = scope.Users();
        var staff = new ControlPanelUser { UserName = "sam@controlpanel.test", Email = "sam@controlpanel.test" };
        Assert.True((await users.CreateAsync(staff, "Staff-password-1")).Succeeded);
        Assert.True((await users.AddToRoleAsync(staff, Roles.Support)).Succeeded);
        var ownerUser = (await users.FindByIdAsync(owner.Id))!;

        var rules = scope.Get<SignInRules>();
        var rulesWithoutStaffRule = new SignInRules(users, Options.Create(new AccountSecurityOptions { RequireTwoFactorForStaff = false }));

        Assert.False(await Passkeys.SatisfiesStaffSecondFactorAsync(users, staff));
        Assert.False(await rules.MustSignInWithPasskeyAsync(staff));

        await scope.Get<Passkeys>().AddAsync(As(staff), NewPasskey(), new Passkeys.NameForm { Name = "Phone" });
        await scope.Get<Passkeys>().AddAsync(As(ownerUser), NewPasskey(), new Passkeys.NameForm { Name = "Phone" });
        Assert.True(await Passkeys.SatisfiesStaffSecondFactorAsync(users, staff));
        Assert.True(await rules.MustSignInWithPasskeyAsync(staff));
        Assert.False(await rulesWithoutStaffRule.MustSignInWithPasskeyAsync(staff));
        // Owners are not held to the staff rule; staff with an authenticator app too may use their password and code.
        Assert.False(await rules.MustSignInWithPasskeyAsync(ownerUser));
        Assert.True((await users.SetTwoFactorEnabledAsync(staff, true)).Succeeded);
        Assert.False(await rules.MustSignInWithPasskeyAsync(staff));
    }
}
