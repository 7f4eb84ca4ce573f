using System.Security.Cryptography;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Makes sure a fresh installation can get its first Admin without a default password:
/// from configuration, or through a one-time setup token that only the console shows.
/// </summary>
public sealed class AdminBootstrap(IOptions<BootstrapOptions> options, IOptions<DatabaseOptions> database, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private byte[]? _setupTokenHash;

    /// <summary>True while no Admin exists and a setup token is waiting to be used.</summary>
    public bool IsSetupOpen { get { lock (_gate) return _setupTokenHash is not null; } }

    /// <summary>Runs on start. Returns the setup token to print, or null when no setup is needed.</summary>
    public async Task<string?> EnsureAdminAsync(UserManager<ControlPanelUser> users, RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                EnsureSucceeded(await roles.CreateAsync(new IdentityRole(role)));

        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0) return null;

        var configured = options.Value;
        if (!string.IsNullOrWhiteSpace(configured.AdminEmail) && !string.IsNullOrEmpty(configured.AdminPassword))
        {
            await CreateAdminAsync(users, configured.AdminEmail, configured.AdminPassword);
            return null;
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_gate) _setupTokenHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
        return token;
    }

    /// <summary>Uses the setup token once to create the first Admin.</summary>
    public async Task<IdentityResult> CompleteSetupAsync(UserManager<ControlPanelUser> users, string token, string email, string password)
    {
        lock (_gate)
        {
            var presented = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token.Trim()));
            if (_setupTokenHash is null || !CryptographicOperations.FixedTimeEquals(presented, _setupTokenHash))
                return IdentityResult.Failed(new IdentityError { Code = "SetupToken", Description = "The setup token is not valid. Use the token printed to the console when the app started." });
            _setupTokenHash = null;
        }
        // Another instance may have printed its own token, or been configured with an Admin: the check that no Admin
        // exists and the creation run as one step across instances, so the second to come finds the first's Admin.
        IdentityResult? result = null;
        await DatabaseSetup.RunExclusiveAsync(database.Value, async () =>
        {
            if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0) return;
            result = await CreateAdminAsync(users, email, password);
        });
        if (result is null)
            return IdentityResult.Failed(new IdentityError { Code = "SetupComplete", Description = "Setup is complete: an administrator already exists. Sign in instead." });
        if (!result.Succeeded)
            lock (_gate) _setupTokenHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token.Trim()));
        return result;
    }

    private async Task<IdentityResult> CreateAdminAsync(UserManager<ControlPanelUser> users, string email, string password)
    {
        var admin = new ControlPanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator", CreatedAt = clock.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded) return created;
        return await users.AddToRoleAsync(admin, Roles.Admin);
    }

    private static void EnsureSucceeded(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
