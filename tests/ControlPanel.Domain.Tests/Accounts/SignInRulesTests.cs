using System.Security.Cryptography;
using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// The password sign-in's decision (issue 23: the sign-in page only carries it out): lockout, the staff passkey-only
/// rule and the second factor, each decided by the domain before any cookie is issued.
/// </summary>
public sealed class SignInRulesTests : AccountTest
{
    private static readonly Func<ControlPanelUser, Task<bool>> NotRemembered = _ => Task.FromResult(false);
    private static readonly Func<ControlPanelUser, Task<bool>> Remembered = _ => Task.FromResult(true);

    private async Task<SignInRules.Decision> SignInAsync(string email, string password, Func<ControlPanelUser, Task<bool>>? browserRemembered = null)
    {
        await using var scope = Identity.CreateScope();
        return await scope.Get<SignInRules>().CheckPasswordAsync(email, password, browserRemembered ?? NotRemembered);
    }

    private async Task<ControlPanelUser> StoredAsync(Viewer person)
    {
        await using var scope = Identity.CreateScope();
        return (await scope.Users().FindByIdAsync(person.UserId))!;
    }

    [Fact]
    public async Task A_wrong_password_is_refused_like_an_unknown_address_and_locks_the_user_out_at_the_limit()
    {
        var owner = await UserAsync(Roles.Owner);
        var email = (await StoredAsync(owner)).Email!;

        Assert.Equal(new SignInRules.Decision(SignInRules.Outcome.Refused), await SignInAsync("nobody@people.test", IdentityTestServices.Password));
        // The default AccountSecurity:MaxFailedAttempts is 5: four refusals, then the fifth locks.
        for (var attempt = 1; attempt < 5; attempt++)
            Assert.Equal(new SignInRules.Decision(SignInRules.Outcome.Refused), await SignInAsync(email, "Wrong-password-1"));
        Assert.Equal(SignInRules.Outcome.LockedOut, (await SignInAsync(email, "Wrong-password-1")).Outcome);

        // Locked: even the right password signs nobody in.
        var locked = await SignInAsync(email, IdentityTestServices.Password);
        Assert.Equal(SignInRules.Outcome.LockedOut, locked.Outcome);
        Assert.Null(locked.User);
    }

    [Fact]
    public async Task The_right_password_signs_in_and_forgives_earlier_failures()
    {
        var owner = await UserAsync(Roles.Owner);
        var email = (await StoredAsync(owner)).Email!;
        await SignInAsync(email, "Wrong-password-1");
        await SignInAsync(email, "Wrong-password-1");
        Assert.Equal(2, (await StoredAsync(owner)).AccessFailedCount);

        var decision = await SignInAsync($"  {email} ", IdentityTestServices.Password);
        Assert.Equal(SignInRules.Outcome.SignedIn, decision.Outcome);
        Assert.Equal(owner.UserId, decision.User?.Id);
        Assert.Equal(0, (await StoredAsync(owner)).AccessFailedCount);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Support)]
    public async Task Staff_whose_only_second_factor_is_a_passkey_are_refused_a_password_only_sign_in(string role)
    {
        var staff = await UserAsync(role);
        var owner = await UserAsync(Roles.Owner);
        await AddPasskeyAsync(staff);
        await AddPasskeyAsync(owner);

        var refused = await SignInAsync((await StoredAsync(staff)).Email!, IdentityTestServices.Password);
        Assert.Equal(SignInRules.Outcome.PasskeyOnly, refused.Outcome);
        Assert.Null(refused.User);
        // A wrong password says nothing about the rule: the same refusal as any other.
        Assert.Equal(SignInRules.Outcome.Refused, (await SignInAsync((await StoredAsync(staff)).Email!, "Wrong-password-1")).Outcome);
        // Owners are not held to the staff rule.
        Assert.Equal(SignInRules.Outcome.SignedIn, (await SignInAsync((await StoredAsync(owner)).Email!, IdentityTestServices.Password)).Outcome);
    }

    [Fact]
    public async Task With_two_factor_on_the_second_factor_comes_next_unless_the_browser_is_remembered()
    {
        var owner = await UserAsync(Roles.Owner);
        await using (var scope = Identity.CreateScope())
            Assert.True((await scope.Users().SetTwoFactorEnabledAsync((await scope.Users().FindByIdAsync(owner.UserId))!, true)).Succeeded);
        var email = (await StoredAsync(owner)).Email!;
        await SignInAsync(email, "Wrong-password-1");

        var next = await SignInAsync(email, IdentityTestServices.Password);
        Assert.Equal(SignInRules.Outcome.SecondFactorNext, next.Outcome);
        Assert.Equal(owner.UserId, next.User?.Id);
        // Not forgiven until the second factor is proved too, so guessing codes still counts against the earlier failures.
        Assert.Equal(1, (await StoredAsync(owner)).AccessFailedCount);

        var remembered = await SignInAsync(email, IdentityTestServices.Password, Remembered);
        Assert.Equal(SignInRules.Outcome.SignedIn, remembered.Outcome);
        Assert.Equal(0, (await StoredAsync(owner)).AccessFailedCount);
    }

    [Fact]
    public async Task Staff_set_up_a_second_factor_before_anything_else_and_a_passkey_or_an_authenticator_app_is_one()
    {
        var staff = await UserAsync(Roles.Support);
        var withApp = await UserAsync(Roles.Admin);
        await using (var scope = Identity.CreateScope())
            Assert.True((await scope.Users().SetTwoFactorEnabledAsync((await scope.Users().FindByIdAsync(withApp.UserId))!, true)).Succeeded);

        async Task<bool> MustSetUpAsync(Viewer person, bool isStaff)
        {
            await using var scope = Identity.CreateScope();
            return await scope.Get<SignInRules>().MustSetUpSecondFactorAsync((await scope.Users().FindByIdAsync(person.UserId))!, isStaff);
        }

        Assert.True(await MustSetUpAsync(staff, isStaff: true));
        Assert.False(await MustSetUpAsync(staff, isStaff: false));
        Assert.False(await MustSetUpAsync(withApp, isStaff: true));
        await AddPasskeyAsync(staff);
        Assert.False(await MustSetUpAsync(staff, isStaff: true));
    }

    private async Task AddPasskeyAsync(Viewer person)
    {
        await using var scope = Identity.CreateScope();
        var passkey = new UserPasskeyInfo(RandomNumberGenerator.GetBytes(32), [1, 2, 3], DateTimeOffset.UtcNow, 0, ["internal"],
            isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [1], clientDataJson: [2]);
        await scope.Get<Passkeys>().AddAsync(person, passkey, new Passkeys.NameForm { Name = "Phone" });
    }
}
