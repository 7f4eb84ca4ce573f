using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Whether an email and password may sign in, and how: the decision the sign-in page only carries out (issuing the cookie
/// is the host's). Locked accounts stay locked, a wrong password counts towards lockout, a staff member whose only second
/// factor is a passkey must use it, and a user with two-factor on proves it next unless their browser is remembered.
/// </summary>
public sealed class SignInRules(UserManager<ControlPanelUser> users, IOptions<AccountSecurityOptions> security)
{
    public const string Refused = "Invalid email or password.";
    public const string UsePasskey = "Staff accounts whose second factor is a passkey sign in with it: use \"Sign in with a passkey\" below.";

    public enum Outcome
    {
        /// <summary>Sign the user in.</summary>
        SignedIn,
        /// <summary>The password was right; the user proves their second factor next.</summary>
        SecondFactorNext,
        LockedOut,
        /// <summary>Identity's own sign-in requirements (a confirmed account, when asked for) are not met.</summary>
        NotAllowed,
        /// <summary>The password was right, but this staff member signs in with their passkey (<see cref="UsePasskey"/>).</summary>
        PasskeyOnly,
        /// <summary>Unknown email or wrong password, said alike (<see cref="Refused"/>).</summary>
        Refused,
    }

    /// <param name="User">The user to sign in or to ask for the second factor; null when the outcome signs nobody in.</param>
    public sealed record Decision(Outcome Outcome, ControlPanelUser? User = null);

    /// <summary>
    /// Decides a password sign-in. <paramref name="browserRemembered"/> says whether this browser was remembered after
    /// an earlier second factor (the host's cookie); such a browser skips the second factor, as Identity's sign-in does.
    /// </summary>
    public async Task<Decision> CheckPasswordAsync(string email, string password, Func<ControlPanelUser, Task<bool>> browserRemembered)
    {
        // By user name, as Identity's own password sign-in looks people up: every user's is their email address.
        var user = await users.FindByNameAsync(email.Trim());
        if (user is null) return new Decision(Outcome.Refused);
        if (!await CanSignInAsync(user)) return new Decision(Outcome.NotAllowed);
        if (await users.IsLockedOutAsync(user)) return new Decision(Outcome.LockedOut);
        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            return new Decision(await users.IsLockedOutAsync(user) ? Outcome.LockedOut : Outcome.Refused);
        }
        // Checked after the password, so the answer tells nothing about an address whose password is not known.
        if (await MustSignInWithPasskeyAsync(user)) return new Decision(Outcome.PasskeyOnly);
        var secondFactorNext = await users.GetTwoFactorEnabledAsync(user) && !await browserRemembered(user);
        // Failures are forgiven once the whole sign-in succeeds: with a second factor still to prove, only then (as Identity does).
        if (!secondFactorNext) await users.ResetAccessFailedCountAsync(user);
        return new Decision(secondFactorNext ? Outcome.SecondFactorNext : Outcome.SignedIn, user);
    }

    /// <summary>
    /// True when a staff member whose only second factor is a passkey tried to sign in with their password: under
    /// AccountSecurity:RequireTwoFactorForStaff they sign in with the passkey, or the password alone would let them in.
    /// </summary>
    public async Task<bool> MustSignInWithPasskeyAsync(ControlPanelUser user) =>
        security.Value.RequireTwoFactorForStaff && !await users.GetTwoFactorEnabledAsync(user) && (await users.GetPasskeysAsync(user)).Count > 0
        && (await users.GetRolesAsync(user)).Any(Roles.Staff.Contains);

    /// <summary>
    /// AccountSecurity:RequireTwoFactorForStaff: a staff member with no second factor yet (two-factor on, or a passkey) sets
    /// one up before anything else opens. <paramref name="isStaff"/> from the roles the caller already read.
    /// </summary>
    public async Task<bool> MustSetUpSecondFactorAsync(ControlPanelUser user, bool isStaff) =>
        security.Value.RequireTwoFactorForStaff && isStaff && !await Passkeys.SatisfiesStaffSecondFactorAsync(users, user);

    /// <summary>A user as stored now, for the host to issue or renew their cookie once a service has admitted or changed them.</summary>
    public async Task<ControlPanelUser> UserAsync(string userId) =>
        await users.FindByIdAsync(userId) ?? throw new AccessDeniedException();

    // Identity's own pre-sign-in requirements (SignInOptions), so a password sign-in asks what Identity's would.
    private async Task<bool> CanSignInAsync(ControlPanelUser user)
    {
        var signIn = users.Options.SignIn;
        if (signIn.RequireConfirmedEmail && !await users.IsEmailConfirmedAsync(user)) return false;
        if (signIn.RequireConfirmedPhoneNumber && !await users.IsPhoneNumberConfirmedAsync(user)) return false;
        return true;
    }
}
