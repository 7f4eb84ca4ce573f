using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// A user's passkeys (WebAuthn credentials, checked by Identity's passkey handler): named, listed, renamed and removed
/// by their owner (the viewer) on the account page, each change audited and mailed to them as a security notice. A passkey signs
/// its user in alone, and counts as a staff member's second factor (<see cref="SatisfiesStaffSecondFactorAsync"/>).
/// </summary>
public sealed class Passkeys(ControlPanelDbContext db, UserManager<ControlPanelUser> users, TimeProvider clock)
{
    public const int NameMaxLength = 50;
    public const int MaxPerUser = 10;

    /// <param name="Id">The credential id, base64url: what the page sends back to rename or remove it.</param>
    public sealed record Row(string Id, string Name, DateTime CreatedAt);

    public sealed class NameForm
    {
        [Required(ErrorMessage = "Enter a name."), StringLength(NameMaxLength, ErrorMessage = "The name is at most 50 characters.")]
        public string Name { get; set; } = "";
    }

    /// <summary>True when the user has two-factor sign-in on or at least one passkey: what AccountSecurity:RequireTwoFactorForStaff asks of staff.</summary>
    public static async Task<bool> SatisfiesStaffSecondFactorAsync(UserManager<ControlPanelUser> users, ControlPanelUser user) =>
        await users.GetTwoFactorEnabledAsync(user) || (await users.GetPasskeysAsync(user)).Count > 0;

    public async Task<IReadOnlyList<Row>> ListAsync(Viewer viewer) =>
        (await users.GetPasskeysAsync(await UserAsync(viewer))).OrderBy(p => p.CreatedAt)
            .Select(p => new Row(Base64Url.EncodeToString(p.CredentialId), string.IsNullOrWhiteSpace(p.Name) ? "Passkey" : p.Name, p.CreatedAt.UtcDateTime)).ToList();

    /// <summary>Keeps a passkey the browser just made and Identity checked (its attestation), under the name the user gave it.</summary>
    public async Task AddAsync(Viewer viewer, UserPasskeyInfo passkey, NameForm form)
    {
        FormValidation.ThrowIfInvalid(form);
        var user = await UserAsync(viewer);
        if ((await users.GetPasskeysAsync(user)).Count >= MaxPerUser)
            throw new ValidationException($"You have {MaxPerUser} passkeys, the most an account may have. Remove one you no longer use first.");
        passkey.Name = form.Name.Trim();
        await ChangeAsync(viewer, user, AuditActions.PasskeyAdded, $"added the passkey \"{passkey.Name}\"", MailTemplates.PasskeyAdded(user.DisplayName, passkey.Name, Now),
            () => users.AddOrUpdatePasskeyAsync(user, passkey));
    }

    public async Task RenameAsync(Viewer viewer, string id, NameForm form)
    {
        FormValidation.ThrowIfInvalid(form);
        var user = await UserAsync(viewer);
        var passkey = await FindAsync(user, id);
        passkey.Name = form.Name.Trim();
        Succeeded(await users.AddOrUpdatePasskeyAsync(user, passkey));
    }

    /// <summary>Removes a passkey: it no longer signs anyone in.</summary>
    public async Task RemoveAsync(Viewer viewer, string id)
    {
        var user = await UserAsync(viewer);
        var passkey = await FindAsync(user, id);
        var name = string.IsNullOrWhiteSpace(passkey.Name) ? "Passkey" : passkey.Name;
        await ChangeAsync(viewer, user, AuditActions.PasskeyRemoved, $"removed the passkey \"{name}\"", MailTemplates.PasskeyRemoved(user.DisplayName, name, Now),
            () => users.RemovePasskeyAsync(user, passkey.CredentialId));
    }

    private async Task<UserPasskeyInfo> FindAsync(ControlPanelUser user, string id)
    {
        byte[] credentialId;
        try { credentialId = Base64Url.DecodeFromChars(id); }
        catch (FormatException) { throw new ValidationException("This passkey no longer exists."); }
        return await users.GetPasskeyAsync(user, credentialId) ?? throw new ValidationException("This passkey no longer exists.");
    }

    /// <summary>The change, its audit entry and the security notice (which cannot be turned off) in one transaction.</summary>
    private async Task ChangeAsync(Viewer viewer, ControlPanelUser user, string action, string what, MailContent notice, Func<Task<IdentityResult>> change)
    {
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync();
        Succeeded(await change());
        AuditLog.Record(db, viewer, now, action, user.AccountId, null, $"{user.Email} {what}");
        MailOutbox.Add(db, MailKinds.PasskeyChanged, user.Email!, notice, now, user.Id);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Only the signed-in person's own passkeys, never through a read-only access token.</summary>
    private async Task<ControlPanelUser> UserAsync(Viewer viewer)
    {
        if (viewer.ReadOnly) throw new AccessDeniedException();
        return await users.FindByIdAsync(viewer.UserId) ?? throw new AccessDeniedException();
    }

    private static void Succeeded(IdentityResult result)
    {
        if (!result.Succeeded) throw new ValidationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
