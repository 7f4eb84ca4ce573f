using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>The account tests' ground: the domain's graph over a throwaway migrated database with the roles made.</summary>
public abstract class AccountTest : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = default!;
    protected IdentityTestServices Identity { get; private set; } = default!;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateMigratedAsync();
        Identity = await IdentityTestServices.CreateAsync(shared: Database);
        await Identity.EnsureRolesAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Identity.DisposeAsync();
        Database.Dispose();
    }

    /// <summary>A user of <paramref name="role"/> (of <paramref name="accountId"/>, for an owner) who signs in with the test password.</summary>
    protected async Task<Viewer> UserAsync(string role, Guid? accountId = null)
    {
        await using var scope = Identity.CreateScope();
        var email = $"{Guid.NewGuid():N}@people.test";
        var user = new ControlPanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"{role} person", AccountId = accountId };
        Assert.True((await scope.Users().CreateAsync(user, IdentityTestServices.Password)).Succeeded);
        Assert.True((await scope.Users().AddToRoleAsync(user, role)).Succeeded);
        return new Viewer(user.Id, user.DisplayName, role, accountId);
    }
}
