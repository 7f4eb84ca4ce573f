using ControlPanel.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// Each browser's sign-in on its own (issue 23, finding 8): signing out ends that browser's sign-in and tells every
/// instance at once; a user's own password change or two-factor change ends their other sign-ins at once and keeps the
/// one they acted in; an Admin's action ends them all; ended and idle sign-ins are forgotten.
/// </summary>
public sealed class SignInTests : AccountTest
{
    private readonly List<string> told = [];
    private IDisposable? watch;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Identity.CreateScope();
        // What every instance's open circuits hear through the change feed.
        watch = scope.Get<SignInEndings>().Watch(userId =>
        {
            lock (told) told.Add(userId);
            return Task.CompletedTask;
        });
    }

    public override async Task DisposeAsync()
    {
        watch?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A browser signs in: the cookie being issued records a sign-in holding the user's stamp.</summary>
    private async Task<Guid> SignInAsync(string userId, Guid? refreshing = null)
    {
        await using var scope = Identity.CreateScope();
        var user = (await scope.Users().FindByIdAsync(userId))!;
        return await scope.Get<SignIns>().RecordAsync(refreshing, user.Id, user.SecurityStamp!);
    }

    /// <summary>What an open circuit of that sign-in asks when told of a change.</summary>
    private async Task<bool> CurrentAsync(Guid signIn, string userId)
    {
        await using var scope = Identity.CreateScope();
        return await scope.Get<SignIns>().IsCurrentAsync(signIn, (await scope.Users().FindByIdAsync(userId))!);
    }

    /// <summary>What each request with that sign-in's cookie asks.</summary>
    private async Task<bool> LiveAsync(Guid signIn, string userId)
    {
        await using var scope = Identity.CreateScope();
        return await scope.Get<SignIns>().IsLiveAsync(signIn, userId);
    }

    private static Viewer As(ControlPanelUser user, Guid signIn) => new(user.Id, user.DisplayName, Roles.Owner, user.AccountId) { SignInId = signIn };

    [Fact]
    public async Task Signing_out_ends_that_browsers_sign_in_alone_and_tells_every_instance_at_once()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var here = await SignInAsync(owner.Id);
        var elsewhere = await SignInAsync(owner.Id);
        Assert.NotEqual(here, elsewhere);

        await using (var scope = Identity.CreateScope())
            await scope.Get<SignIns>().EndAsync(As(owner, here));

        Assert.Equal([owner.Id], told);
        Assert.False(await CurrentAsync(here, owner.Id));
        Assert.False(await LiveAsync(here, owner.Id));
        Assert.True(await CurrentAsync(elsewhere, owner.Id));
        Assert.True(await LiveAsync(elsewhere, owner.Id));
        // A refresh of the ended sign-in's cookie does not bring it back.
        Assert.Equal(here, await SignInAsync(owner.Id, refreshing: here));
        Assert.False(await LiveAsync(here, owner.Id));
    }

    [Fact]
    public async Task A_users_own_password_change_ends_their_other_sign_ins_at_once_and_keeps_the_one_they_acted_in()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var acting = await SignInAsync(owner.Id);
        var other = await SignInAsync(owner.Id);

        await using (var scope = Identity.CreateScope())
            Assert.True((await scope.Get<PasswordRecovery>().ChangeAsync(As(owner, acting), IdentityTestServices.Password, "Changed-password-2")).Succeeded);

        // Told at once, not at the periodic check; the acting browser's open tabs still pass, with the old stamp in their claims.
        Assert.Equal([owner.Id], told);
        Assert.True(await CurrentAsync(acting, owner.Id));
        Assert.False(await CurrentAsync(other, owner.Id));
        Assert.False(await LiveAsync(other, owner.Id));
        // The acting page then refreshes its cookie with the new stamp: the same sign-in.
        Assert.Equal(acting, await SignInAsync(owner.Id, refreshing: acting));
        Assert.True(await LiveAsync(acting, owner.Id));
    }

    [Fact]
    public async Task Turning_two_factor_off_ends_the_users_other_sign_ins_at_once_and_keeps_the_one_they_acted_in()
    {
        var owner = await Identity.RegisterOwnerAsync();
        await using (var scope = Identity.CreateScope())
        {
            var user = (await scope.Users().FindByIdAsync(owner.Id))!;
            Assert.True((await scope.Users().ResetAuthenticatorKeyAsync(user)).Succeeded);
            Assert.True((await scope.Users().SetTwoFactorEnabledAsync(user, true)).Succeeded);
        }
        var acting = await SignInAsync(owner.Id);
        var other = await SignInAsync(owner.Id);

        await using (var scope = Identity.CreateScope())
            await scope.Get<TwoFactorSettings>().DisableAsync(As(owner, acting), IdentityTestServices.Password);

        Assert.Equal([owner.Id], told);
        Assert.True(await CurrentAsync(acting, owner.Id));
        Assert.False(await CurrentAsync(other, owner.Id));
    }

    [Fact]
    public async Task An_Admin_signing_a_user_out_everywhere_ends_every_one_of_their_sign_ins()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var first = await SignInAsync(owner.Id);
        var second = await SignInAsync(owner.Id);
        var admin = await UserAsync(Roles.Admin);

        await using (var scope = Identity.CreateScope())
            await scope.Get<StaffAdministration>().EndSignInsAsync(admin, owner.Id);

        Assert.Contains(owner.Id, told);
        Assert.False(await CurrentAsync(first, owner.Id));
        Assert.False(await CurrentAsync(second, owner.Id));
    }

    [Fact]
    public async Task Ended_and_idle_sign_ins_are_forgotten_and_then_refused()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var ended = await SignInAsync(owner.Id);
        var idle = await SignInAsync(owner.Id);
        var used = await SignInAsync(owner.Id);
        await using (var scope = Identity.CreateScope())
            await scope.Get<SignIns>().EndAsync(As(owner, ended));
        var now = DateTime.UtcNow;
        await using (var db = Database.CreateContext())
        {
            await db.UserSignIns.Where(s => s.Id == ended).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now - SignIns.EndedKeptFor - TimeSpan.FromMinutes(1)));
            await db.UserSignIns.Where(s => s.Id == idle).ExecuteUpdateAsync(s => s.SetProperty(x => x.SeenAt, now - SignIns.ForgottenAfter - TimeSpan.FromMinutes(1)));
            Assert.Equal(2, await SignIns.ForgetOldAsync(db, now));
            Assert.Equal([used], await db.UserSignIns.Select(s => s.Id).ToListAsync());
        }
        Assert.False(await LiveAsync(idle, owner.Id));
        Assert.True(await LiveAsync(used, owner.Id));
    }
}
