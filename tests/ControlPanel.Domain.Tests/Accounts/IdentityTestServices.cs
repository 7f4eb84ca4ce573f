using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// The domain's graph (<see cref="TestDomain"/>, Identity included, as the app registers it) over a throwaway
/// migrated SQLite database, with helpers for the account tests. Dispose to delete it.
/// </summary>
public sealed class IdentityTestServices : IAsyncDisposable
{
    /// <summary>Where links in mails point, unless the test gives its own Email options.</summary>
    public const string PublicBaseUrl = "https://panel.controlpanel.test/";

    /// <summary>Satisfies the app's password rules (10 characters, upper, lower, digit).</summary>
    public const string Password = "Test-password-1";

    private readonly TestDatabase _database;
    private readonly ServiceProvider _services;
    private readonly bool _ownsDatabase;

    private IdentityTestServices(TestDatabase database, ServiceProvider services, bool ownsDatabase)
    {
        _database = database;
        _services = services;
        _ownsDatabase = ownsDatabase;
    }

    /// <param name="shared">A database another instance uses too (the caller disposes it); null for a fresh one.</param>
    /// <param name="clock">The clock of this instance; the system's unless a test moves time.</param>
    public static async Task<IdentityTestServices> CreateAsync(BootstrapOptions? bootstrap = null, TestDatabase? shared = null, EmailOptions? email = null, bool requireConfirmedEmail = false, TimeProvider? clock = null)
    {
        var database = shared ?? await TestDatabase.CreateMigratedAsync();
        // Identity is registered by the domain itself (AddAccounts), with the app's rules.
        var services = TestDomain.Build(database, clock ?? TimeProvider.System, services => services
            .UseOptions(bootstrap ?? new BootstrapOptions())
            .UseOptions(email ?? new EmailOptions { PublicBaseUrl = PublicBaseUrl })
            .UseOptions(new EmailConfirmationOptions { Required = requireConfirmedEmail }),
            new ServiceProviderOptions { ValidateScopes = true });
        return new IdentityTestServices(database, services, shared is null);
    }

    /// <summary>One unit of work, like one HTTP request in the app.</summary>
    public AsyncServiceScope CreateScope() => _services.CreateAsyncScope();

    /// <summary>A fresh DbContext for checking what was really saved.</summary>
    public ControlPanelDbContext CreateContext() => _database.CreateContext();

    /// <summary>Contexts on the same database, for the services the app makes from a factory (applications, keys, the mail dispatcher).</summary>
    public Microsoft.EntityFrameworkCore.IDbContextFactory<ControlPanelDbContext> Factory => _database.Factory;

    public AdminBootstrap Bootstrap => _services.GetRequiredService<AdminBootstrap>();

    /// <summary>Registers Olive Owner (olive@controlpanel.test) of the account Acme, as the sign-up page does.</summary>
    public async Task<ControlPanelUser> RegisterOwnerAsync()
    {
        await using var scope = CreateScope();
        var (result, owner) = await scope.Get<Registration>().RegisterOwnerAsync(new Registration.Form
        {
            AccountName = "Acme",
            DisplayName = "Olive Owner",
            Email = "olive@controlpanel.test",
            Password = Password,
            ConfirmPassword = Password,
        });
        Assert.True(result.Succeeded);
        return owner!;
    }

    /// <summary>Creates the Owner, Admin and Support roles, as the app does on start.</summary>
    public async Task EnsureRolesAsync()
    {
        await using var scope = CreateScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                Assert.True((await roles.CreateAsync(new IdentityRole(role))).Succeeded);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_ownsDatabase) _database.Dispose();
    }
}

public static class ServiceScopeExtensions
{
    public static UserManager<ControlPanelUser> Users(this AsyncServiceScope scope) =>
        scope.ServiceProvider.GetRequiredService<UserManager<ControlPanelUser>>();

    public static RoleManager<IdentityRole> Roles(this AsyncServiceScope scope) =>
        scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();

    public static T Get<T>(this AsyncServiceScope scope) where T : notnull =>
        scope.ServiceProvider.GetRequiredService<T>();
}
