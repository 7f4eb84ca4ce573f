using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// The setup page's request: the one-time token the console showed makes the first Admin. The token lives in the
/// application-wide <see cref="AdminBootstrap"/>; the user is made in this request's unit of work.
/// </summary>
public sealed class FirstAdminSetup(AdminBootstrap bootstrap, UserManager<ControlPanelUser> users)
{
    /// <summary>True while no Admin exists and a setup token is waiting to be used.</summary>
    public bool IsOpen => bootstrap.IsSetupOpen;

    /// <summary>Makes the first Admin, or says why not (a wrong token, an Admin already there, a weak password); the Admin is signed in next.</summary>
    public async Task<(IdentityResult Result, ControlPanelUser? Admin)> CreateAdminAsync(string token, string email, string password)
    {
        var result = await bootstrap.CompleteSetupAsync(users, token, email.Trim(), password);
        return (result, result.Succeeded ? await users.FindByEmailAsync(email.Trim()) : null);
    }
}
