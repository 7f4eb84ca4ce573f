using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Identity's user manager with the security notice that cannot be turned off: two-factor authentication turned on
/// or off. The mail is added to the same context the user store saves, so the change and its notice are saved
/// together, whichever page makes the change.
/// </summary>
public sealed class ControlPanelUserManager(
    IUserStore<ControlPanelUser> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<ControlPanelUser> passwordHasher,
    IEnumerable<IUserValidator<ControlPanelUser>> userValidators, IEnumerable<IPasswordValidator<ControlPanelUser>> passwordValidators,
    ILookupNormalizer keyNormalizer, IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<ControlPanelUser>> logger,
    ControlPanelDbContext db, TimeProvider clock)
    : UserManager<ControlPanelUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> SetTwoFactorEnabledAsync(ControlPanelUser user, bool enabled)
    {
        var changes = await GetTwoFactorEnabledAsync(user) != enabled && user.Email is not null;
        OutboxMail? notice = null;
        if (changes)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            notice = MailOutbox.Add(db, MailKinds.TwoFactorChanged, user.Email!, MailTemplates.TwoFactorChanged(user.DisplayName, enabled, now), now, user.Id);
        }
        var result = await base.SetTwoFactorEnabledAsync(user, enabled);
        // Not saved with a change that failed.
        if (!result.Succeeded && notice is not null) db.OutboxMails.Remove(notice);
        return result;
    }

    /// <summary>
    /// The authenticator key to set up with, made and stored only when the user has none, without a new security stamp:
    /// opening the setup page signs nobody out. The stamp changes when two-factor is turned on.
    /// </summary>
    public async Task<string> PrepareAuthenticatorKeyAsync(ControlPanelUser user)
    {
        var key = await GetAuthenticatorKeyAsync(user);
        if (!string.IsNullOrEmpty(key)) return key;
        key = GenerateNewAuthenticatorKey();
        await ((IUserAuthenticatorKeyStore<ControlPanelUser>)Store).SetAuthenticatorKeyAsync(user, key, CancellationToken);
        var result = await UpdateAsync(user);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        return key;
    }
}
