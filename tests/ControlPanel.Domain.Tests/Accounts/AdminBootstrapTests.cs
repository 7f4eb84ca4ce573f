using System.Text.RegularExpressions;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Accounts;

public class AdminBootstrapTests
{
    private const string AdminEmail = "admin@controlpanel.test";

    [Fact]
    public async Task Without_configuration_a_setup_token_is_issued_and_creates_the_admin_once()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        var bootstrap = services.Bootstrap;

        string? token;
        await using (var scope = services.CreateScope())
            token = await bootstrap.EnsureAdminAsync(scope.Users(), scope.Roles());
        Assert.NotNull(token);
        Assert.Matches(new Regex("^[0-9a-f]{32}$"), token);
        Assert.True(bootstrap.IsSetupOpen);

        await using (var scope = services.CreateScope())
        {
            var result = await bootstrap.CompleteSetupAsync(scope.Users(), token, AdminEmail, IdentityTestServices.Password);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        Assert.False(bootstrap.IsSetupOpen);

        await using (var scope = services.CreateScope())
        {
            var users = scope.Users();
            var admin = await users.FindByEmailAsync(AdminEmail);
            Assert.NotNull(admin);
            Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
            Assert.True(await users.CheckPasswordAsync(admin, IdentityTestServices.Password));

            // The same token a second time: refused, and no second Admin.
            var again = await bootstrap.CompleteSetupAsync(users, token, "second@controlpanel.test", IdentityTestServices.Password);
            Assert.False(again.Succeeded);
            Assert.Contains(again.Errors, e => e.Code == "SetupToken");
            Assert.Null(await users.FindByEmailAsync("second@controlpanel.test"));
            Assert.Single(await users.GetUsersInRoleAsync(Roles.Admin));
        }
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_the_right_one_still_works()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        var bootstrap = services.Bootstrap;
        await using var scope = services.CreateScope();
        var users = scope.Users();
        var token = await bootstrap.EnsureAdminAsync(users, scope.Roles());
        Assert.NotNull(token);

        foreach (var wrong in new[] { "", "0123456789abcdef0123456789abcdef", token.ToUpperInvariant(), token[..^1] })
        {
            var result = await bootstrap.CompleteSetupAsync(users, wrong, AdminEmail, IdentityTestServices.Password);
            Assert.False(result.Succeeded);
            Assert.Contains(result.Errors, e => e.Code == "SetupToken");
        }
        Assert.Null(await users.FindByEmailAsync(AdminEmail));
        Assert.True(bootstrap.IsSetupOpen);

        // Surrounding whitespace from a copy and paste is forgiven.
        var right = await bootstrap.CompleteSetupAsync(users, $"  {token}\n", AdminEmail, IdentityTestServices.Password);
        Assert.True(right.Succeeded);
    }

    [Fact]
    public async Task A_setup_that_fails_for_another_reason_keeps_the_token_usable()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        var bootstrap = services.Bootstrap;
        await using var scope = services.CreateScope();
        var users = scope.Users();
        var token = await bootstrap.EnsureAdminAsync(users, scope.Roles());
        Assert.NotNull(token);

        var weak = await bootstrap.CompleteSetupAsync(users, token, AdminEmail, "short");
        Assert.False(weak.Succeeded);
        Assert.DoesNotContain(weak.Errors, e => e.Code == "SetupToken");
        Assert.True(bootstrap.IsSetupOpen);
        Assert.Empty(await users.GetUsersInRoleAsync(Roles.Admin));

        Assert.True((await bootstrap.CompleteSetupAsync(users, token, AdminEmail, IdentityTestServices.Password)).Succeeded);
        Assert.False(bootstrap.IsSetupOpen);
    }

    [Fact]
    public async Task A_configured_admin_is_created_on_start_and_no_token_is_issued()
    {
        await using var services = await IdentityTestServices.CreateAsync(new BootstrapOptions { AdminEmail = AdminEmail, AdminPassword = IdentityTestServices.Password });
        var bootstrap = services.Bootstrap;
        await using var scope = services.CreateScope();
        var users = scope.Users();

        Assert.Null(await bootstrap.EnsureAdminAsync(users, scope.Roles()));
        Assert.False(bootstrap.IsSetupOpen);

        var admin = Assert.Single(await users.GetUsersInRoleAsync(Roles.Admin));
        Assert.Equal(AdminEmail, admin.Email);
        Assert.True(await users.CheckPasswordAsync(admin, IdentityTestServices.Password));
        foreach (var role in Roles.All)
            Assert.True(await scope.Roles().RoleExistsAsync(role));
    }

    [Fact]
    public async Task No_token_is_issued_when_an_admin_already_exists()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        await using (var scope = services.CreateScope())
        {
            var token = await services.Bootstrap.EnsureAdminAsync(scope.Users(), scope.Roles());
            Assert.True((await services.Bootstrap.CompleteSetupAsync(scope.Users(), token!, AdminEmail, IdentityTestServices.Password)).Succeeded);
        }

        // The next start (a new AdminBootstrap) finds the Admin: no token, setup closed.
        var restarted = new AdminBootstrap(Options.Create(new BootstrapOptions()), Options.Create(new DatabaseOptions()), TimeProvider.System);
        await using (var scope = services.CreateScope())
            Assert.Null(await restarted.EnsureAdminAsync(scope.Users(), scope.Roles()));
        Assert.False(restarted.IsSetupOpen);
    }

    [Fact]
    public async Task Configured_credentials_do_not_add_a_second_admin_when_one_exists()
    {
        await using var services = await IdentityTestServices.CreateAsync(new BootstrapOptions { AdminEmail = AdminEmail, AdminPassword = IdentityTestServices.Password });
        await using (var scope = services.CreateScope())
            await services.Bootstrap.EnsureAdminAsync(scope.Users(), scope.Roles());

        var restarted = new AdminBootstrap(Options.Create(new BootstrapOptions { AdminEmail = "other@controlpanel.test", AdminPassword = IdentityTestServices.Password }), Options.Create(new DatabaseOptions()), TimeProvider.System);
        await using (var scope = services.CreateScope())
        {
            Assert.Null(await restarted.EnsureAdminAsync(scope.Users(), scope.Roles()));
            Assert.Single(await scope.Users().GetUsersInRoleAsync(Roles.Admin));
            Assert.Null(await scope.Users().FindByEmailAsync("other@controlpanel.test"));
        }
    }

    [Fact]
    public async Task The_setup_page_makes_the_first_admin_for_the_right_token_and_refuses_once_an_admin_exists()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await using var first = await IdentityTestServices.CreateAsync(shared: database);
        await using var second = await IdentityTestServices.CreateAsync(shared: database);
        var tokens = new List<string>();
        foreach (var instance in new[] { first, second })
            await using (var scope = instance.CreateScope())
                tokens.Add(await instance.Bootstrap.EnsureAdminAsync(scope.Users(), scope.Roles()) ?? throw new InvalidOperationException("no token"));

        await using (var scope = first.CreateScope())
        {
            var setup = scope.Get<FirstAdminSetup>();
            Assert.True(setup.IsOpen);
            var (result, admin) = await setup.CreateAdminAsync(tokens[0], $" {AdminEmail} ", IdentityTestServices.Password);
            Assert.True(result.Succeeded);
            Assert.Equal(AdminEmail, admin?.Email);
            Assert.True(await scope.Users().IsInRoleAsync(admin!, Roles.Admin));
            Assert.False(setup.IsOpen);
        }

        // The other instance's own token, printed before the Admin existed: refused, and nobody is made to sign in.
        await using (var scope = second.CreateScope())
        {
            var (result, admin) = await scope.Get<FirstAdminSetup>().CreateAdminAsync(tokens[1], "second@controlpanel.test", IdentityTestServices.Password);
            Assert.False(result.Succeeded);
            Assert.Contains(result.Errors, e => e.Code == "SetupComplete");
            Assert.Null(admin);
            Assert.Null(await scope.Users().FindByEmailAsync("second@controlpanel.test"));
        }
    }

    [Fact]
    public async Task Completing_setup_without_a_token_having_been_issued_is_refused()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();
        await using var scope = services.CreateScope();
        var result = await services.Bootstrap.CompleteSetupAsync(scope.Users(), "anything", AdminEmail, IdentityTestServices.Password);
        Assert.False(result.Succeeded);
        Assert.Null(await scope.Users().FindByEmailAsync(AdminEmail));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_instances_each_with_its_own_setup_token_create_one_admin_between_them(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        await using var first = await IdentityTestServices.CreateAsync(shared: database);
        await using var second = await IdentityTestServices.CreateAsync(shared: database);
        var tokens = new List<string>();
        foreach (var instance in new[] { first, second })
            await using (var scope = instance.CreateScope())
                tokens.Add(await instance.Bootstrap.EnsureAdminAsync(scope.Users(), scope.Roles()) ?? throw new InvalidOperationException("no token"));

        // Both instances' setup pages are used at once, each with its own instance's token.
        async Task<IdentityResult> Setup(IdentityTestServices instance, string token, string email)
        {
            await using var scope = instance.CreateScope();
            return await instance.Bootstrap.CompleteSetupAsync(scope.Users(), token, email, IdentityTestServices.Password);
        }
        var results = await Task.WhenAll(Setup(first, tokens[0], "first@controlpanel.test"), Setup(second, tokens[1], "second@controlpanel.test"));

        Assert.Single(results, r => r.Succeeded);
        Assert.Contains(results.Single(r => !r.Succeeded).Errors, e => e.Code == "SetupComplete");
        await using var check = first.CreateScope();
        Assert.Single(await check.Users().GetUsersInRoleAsync(Roles.Admin));
        Assert.Equal(1, await check.Users().Users.CountAsync());
    }
}
