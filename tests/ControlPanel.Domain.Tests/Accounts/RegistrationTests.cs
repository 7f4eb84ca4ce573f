using ControlPanel.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

public class RegistrationTests
{
    private static Registration.Form Form(string email, string organisation, string password = IdentityTestServices.Password) => new()
    {
        AccountName = organisation,
        DisplayName = "Olivia Owner",
        Email = email,
        Password = password,
        ConfirmPassword = password,
    };

    private static async Task<(Microsoft.AspNetCore.Identity.IdentityResult Result, ControlPanelUser? Owner)> RegisterAsync(IdentityTestServices services, Registration.Form form)
    {
        await using var scope = services.CreateScope();
        return await scope.Get<Registration>().RegisterOwnerAsync(form);
    }

    [Fact]
    public async Task Registering_creates_an_account_with_the_person_as_its_owner()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();

        var (result, owner) = await RegisterAsync(services, Form("  olivia@acme.test ", " Acme Ltd "));
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        Assert.NotNull(owner);

        await using (var db = services.CreateContext())
        {
            var account = await db.Accounts.SingleAsync();
            Assert.Equal("Acme Ltd", account.Name);
            Assert.False(account.IsLocked);
            var saved = await db.Users.SingleAsync();
            Assert.Equal(owner.Id, saved.Id);
            Assert.Equal(account.Id, saved.AccountId);
            Assert.Equal("olivia@acme.test", saved.Email);
            Assert.Equal("Olivia Owner", saved.DisplayName);
        }

        await using var scope = services.CreateScope();
        var users = scope.Users();
        var found = await users.FindByEmailAsync("olivia@acme.test");
        Assert.NotNull(found);
        Assert.Equal([Roles.Owner], await users.GetRolesAsync(found));
        Assert.True(await users.CheckPasswordAsync(found, IdentityTestServices.Password));
    }

    [Fact]
    public async Task A_registered_email_is_answered_like_a_new_one_and_nothing_is_created()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();
        Assert.True((await RegisterAsync(services, Form("olivia@acme.test", "Acme Ltd"))).Result.Succeeded);

        // Not told apart: success and no error, as for a new email; the caller signs nobody in either way.
        var (result, owner) = await RegisterAsync(services, Form("OLIVIA@acme.test", "Second Org"));
        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        Assert.Null(owner);
        // A bad password is refused alike for a registered email and a new one.
        var taken = await RegisterAsync(services, Form("olivia@acme.test", "Third Org", password: "short"));
        var fresh = await RegisterAsync(services, Form("nobody@acme.test", "Third Org", password: "short"));
        Assert.Equal(fresh.Result.Errors.Select(e => e.Description), taken.Result.Errors.Select(e => e.Description));
        Assert.False(taken.Result.Succeeded);

        await using var db = services.CreateContext();
        Assert.Equal(["Acme Ltd"], await db.Accounts.Select(a => a.Name).ToListAsync());
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task A_refused_password_fails_and_leaves_no_orphan_account()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();

        var (result, owner) = await RegisterAsync(services, Form("olivia@acme.test", "Acme Ltd", password: "short"));
        Assert.False(result.Succeeded);
        Assert.Null(owner);

        await using var db = services.CreateContext();
        Assert.Equal(0, await db.Accounts.CountAsync());
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task A_failure_after_the_user_row_was_written_rolls_back_both_the_account_and_the_user()
    {
        // No roles exist, so adding the Owner role throws after the account and the user were saved.
        await using var services = await IdentityTestServices.CreateAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => RegisterAsync(services, Form("olivia@acme.test", "Acme Ltd")));

        await using var db = services.CreateContext();
        Assert.Equal(0, await db.Accounts.CountAsync());
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task After_a_failed_attempt_the_same_scope_registers_only_the_next_account()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();
        await using (var scope = services.CreateScope())
        {
            var registration = scope.Get<Registration>();
            Assert.False((await registration.RegisterOwnerAsync(Form("olivia@acme.test", "Failed Org", password: "short"))).Result.Succeeded);
            Assert.True((await registration.RegisterOwnerAsync(Form("olivia@acme.test", "Acme Ltd"))).Result.Succeeded);
        }

        await using var db = services.CreateContext();
        Assert.Equal(["Acme Ltd"], await db.Accounts.Select(a => a.Name).ToListAsync());
    }
}
