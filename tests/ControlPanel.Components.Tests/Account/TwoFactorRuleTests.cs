using ControlPanel.Domain.Accounts;
using ControlPanel.Tests;
using ControlPanel.Web.Components.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Account;

/// <summary>
/// Authenticator codes work once, even when two sign-ins race with the same code, and staff without two-factor are
/// nobody until they set it up (AccountSecurity:RequireTwoFactorForStaff, on by default). The app's real Identity services.
/// </summary>
public sealed class TwoFactorRuleTests : ComponentTest
{
    [Fact]
    public async Task An_authenticator_code_works_once_and_an_older_one_never_after_a_newer()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        var key = await AuthenticatorKeyAsync(owner.UserId);
        var now = Totp.StepOf(DateTimeOffset.UtcNow);

        Assert.True(await VerifyAsync(owner.UserId, Totp.Code(Totp.DecodeBase32(key), now)));
        Assert.False(await VerifyAsync(owner.UserId, Totp.Code(Totp.DecodeBase32(key), now)));
        // A step earlier is within the accepted drift, but it comes before the code already used.
        Assert.False(await VerifyAsync(owner.UserId, Totp.Code(Totp.DecodeBase32(key), now - 1)));
        Assert.True(await VerifyAsync(owner.UserId, Totp.Code(Totp.DecodeBase32(key), now + 1)));
        Assert.False(await VerifyAsync(owner.UserId, "12345a"));
    }

    [Fact]
    public async Task Of_sign_ins_racing_with_the_same_code_exactly_one_is_accepted()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        var code = Totp.Code(await AuthenticatorKeyAsync(owner.UserId), DateTimeOffset.UtcNow);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => VerifyAsync(owner.UserId, code))));

        Assert.Single(answers, accepted => accepted);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Support)]
    public async Task Staff_without_two_factor_are_nobody_until_they_set_it_up(string role)
    {
        var staff = await NewStaffAsync(role);
        var before = await PrincipalAsync(staff.UserId);
        Assert.True(before.HasClaim(c => c.Type == ViewerClaims.MustSetUpTwoFactor));
        Assert.Null(ViewerClaims.ToViewer(before));

        await UseAsync<UserManager<ControlPanelUser>, IdentityResult>(async users =>
            await users.SetTwoFactorEnabledAsync((await users.FindByIdAsync(staff.UserId))!, true));
        var after = await PrincipalAsync(staff.UserId);
        Assert.False(after.HasClaim(c => c.Type == ViewerClaims.MustSetUpTwoFactor));
        Assert.Equal(role, ViewerClaims.ToViewer(after)?.Role);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Support)]
    public async Task A_passkey_satisfies_the_staff_two_factor_rule(string role)
    {
        var staff = await NewStaffAsync(role);
        // The passkeys service as on the passkeys page, for the staff member signed in.
        await UseAsync<IServiceProvider, bool>(async scope =>
        {
            var passkeys = scope.GetRequiredService<Passkeys>();
            var passkey = new UserPasskeyInfo(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), [1, 2, 3], DateTimeOffset.UtcNow, 0, ["internal"],
                isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [1], clientDataJson: [2]);
            await passkeys.AddAsync(staff, passkey, new Passkeys.NameForm { Name = "Phone" });
            return true;
        });

        var principal = await PrincipalAsync(staff.UserId);
        Assert.False(principal.HasClaim(c => c.Type == ViewerClaims.MustSetUpTwoFactor));
        Assert.Equal(role, ViewerClaims.ToViewer(principal)?.Role);
    }

    [Fact]
    public async Task Owners_may_sign_in_without_two_factor()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        Assert.Equal(owner.AccountId, ViewerClaims.ToViewer(await PrincipalAsync(owner.UserId))?.AccountId);
    }

    private Task<string> AuthenticatorKeyAsync(string userId) => UseAsync<UserManager<ControlPanelUser>, string>(async users =>
    {
        var user = (await users.FindByIdAsync(userId))!;
        await users.ResetAuthenticatorKeyAsync(user);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    });

    private Task<bool> VerifyAsync(string userId, string code) => UseAsync<UserManager<ControlPanelUser>, bool>(async users =>
        await users.VerifyTwoFactorTokenAsync((await users.FindByIdAsync(userId))!, users.Options.Tokens.AuthenticatorTokenProvider, code));

    private Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userId) =>
        UseAsync<IUserClaimsPrincipalFactory<ControlPanelUser>, System.Security.Claims.ClaimsPrincipal>(async factory =>
            await factory.CreateAsync((await UseAsync<UserManager<ControlPanelUser>, ControlPanelUser?>(users => users.FindByIdAsync(userId)))!));
}
