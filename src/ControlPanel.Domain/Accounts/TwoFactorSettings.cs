using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// The signed-in user's two-factor sign-in: set up (nothing changes until they prove a code), turn off and new recovery
/// codes (each needs a fresh proof, and a wrong proof counts towards lockout). Staff keep it on when the rule says so.
/// Turning it off ends the user's other sign-ins and their access tokens.
/// </summary>
public sealed class TwoFactorSettings(ControlPanelDbContext db, ControlPanelUserManager users, IOptions<AccountSecurityOptions> security, ChangeFeed changes, TimeProvider clock)
{
    public const int RecoveryCodeCount = 10;
    public const string BadCode = "The verification code is not valid. Check the time on your device and try again.";
    public const string BadProof = "That is not your password or a new code from your authenticator app. Codes work once: wait for the next one.";
    public const string StaffMustKeep = "Admin and Support accounts cannot turn two-factor authentication off.";

    /// <param name="SharedKey">The key to set up with, when two-factor is off.</param>
    public sealed record State(bool Enabled, bool MustSetUp, bool StaffMustKeep, int RecoveryCodesLeft, string? SharedKey, string? AuthenticatorUri);

    /// <summary>Where the user stands. When two-factor is off, a key to set up with (made once, rotating nothing).</summary>
    public async Task<State> GetAsync(Viewer viewer)
    {
        var user = await UserAsync(viewer);
        var enabled = await users.GetTwoFactorEnabledAsync(user);
        var mustKeep = viewer.IsStaff && security.Value.RequireTwoFactorForStaff;
        var left = await users.CountRecoveryCodesAsync(user);
        if (enabled) return new State(true, false, mustKeep, left, null, null);
        var key = await users.PrepareAuthenticatorKeyAsync(user);
        var uri = $"otpauth://totp/ControlPanel:{Uri.EscapeDataString(user.Email ?? "")}?secret={key}&issuer=ControlPanel&digits=6";
        return new State(false, mustKeep, mustKeep, left, key, uri);
    }

    /// <summary>Whether the viewer's two-factor sign-in is on, without preparing a key to set it up with.</summary>
    public async Task<bool> IsEnabledAsync(Viewer viewer) => await users.GetTwoFactorEnabledAsync(await UserAsync(viewer));

    /// <summary>Turns two-factor on with a code from the app; returns the recovery codes, shown once. The user's other sign-ins end.</summary>
    public async Task<IReadOnlyList<string>> EnableAsync(Viewer viewer, string code)
    {
        var user = await UserAsync(viewer);
        if (await users.GetTwoFactorEnabledAsync(user)) throw new ValidationException("Two-factor authentication is already on.");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Digits(code)))
            throw new ValidationException(BadCode);
        (await users.SetTwoFactorEnabledAsync(user, true)).ThrowIfFailed();
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? [];
        // The new stamp ends the user's other sign-ins (they signed in without the second factor); this one goes on.
        await SignInEndings.SaveOwnChangeAsync(changes, db, user, viewer.SignInId, clock.GetUtcNow().UtcDateTime);
        return [.. codes];
    }

    /// <summary>
    /// Turns two-factor off after a fresh proof: the key is reset, the user is told by mail (the user manager), their
    /// access tokens are revoked and their other sign-ins end on every instance.
    /// </summary>
    public async Task DisableAsync(Viewer viewer, string proof)
    {
        var user = await UserAsync(viewer);
        if (viewer.IsStaff && security.Value.RequireTwoFactorForStaff) throw new ValidationException(StaffMustKeep);
        await ProveAsync(user, proof);
        await using var transaction = await db.Database.BeginTransactionAsync();
        (await users.SetTwoFactorEnabledAsync(user, false)).ThrowIfFailed();
        (await users.ResetAuthenticatorKeyAsync(user)).ThrowIfFailed();
        var now = clock.GetUtcNow().UtcDateTime;
        var revoked = await SignInEndings.RevokeTokensAsync(db, user.Id, now);
        AuditLog.Record(db, viewer, now, AuditActions.TwoFactorDisabled, user.AccountId, null,
            $"{user.Email} turned off two-factor authentication; every other session was signed out, {revoked} access token(s) revoked");
        await SignInEndings.SaveOwnChangeAsync(changes, db, user, viewer.SignInId, now);
    }

    /// <summary>New recovery codes after a fresh proof; the old ones stop working.</summary>
    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(Viewer viewer, string proof)
    {
        var user = await UserAsync(viewer);
        await ProveAsync(user, proof);
        return [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
    }

    /// <summary>
    /// A fresh proof that the person at the keyboard is the user (a session left open is not enough to weaken their
    /// sign-in): their password, or an authenticator code not used before. A wrong proof counts towards lockout.
    /// </summary>
    private async Task ProveAsync(ControlPanelUser user, string proof)
    {
        var code = Digits(proof);
        var proved = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : await users.CheckPasswordAsync(user, proof);
        if (proved)
        {
            await users.ResetAccessFailedCountAsync(user);
            return;
        }
        await users.AccessFailedAsync(user);
        throw new ValidationException(BadProof);
    }

    private async Task<ControlPanelUser> UserAsync(Viewer viewer)
    {
        if (viewer.ReadOnly) throw new AccessDeniedException();
        // The page may keep this service for a circuit: read the user as they are now.
        db.ChangeTracker.Clear();
        return await users.FindByIdAsync(viewer.UserId) ?? throw new AccessDeniedException();
    }

    private static string Digits(string text) => text.Replace(" ", "").Replace("-", "");
}
