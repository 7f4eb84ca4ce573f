using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ControlPanel.Domain.Email;

/// <summary>The notices an owner may choose not to get (security notices always go out). Stored as the bits an owner turned off.</summary>
[Flags]
public enum NoticeKind
{
    None = 0,
    /// <summary>A quota threshold reached, or the quota used up (once per threshold per month).</summary>
    Quota = 1,
    /// <summary>An application taken offline by staff.</summary>
    ApplicationOffline = 2,
    /// <summary>Keys rotated or revoked.</summary>
    Keys = 4,
    /// <summary>A webhook endpoint disabled because its deliveries kept failing.</summary>
    WebhookEndpointDisabled = 8,
}

/// <summary>
/// Mails about an account to its Owners (each unless they turned that kind off) and to the account's extra
/// recipients, added to the caller's unit of work so they are saved with the event they report.
/// </summary>
public static class Notices
{
    public const int RecipientsMaxLength = 1000;
    public const int MaxExtraRecipients = 10;

    /// <summary>Every kind, with the words the account page shows.</summary>
    public static readonly IReadOnlyList<(NoticeKind Kind, string Label)> Choices =
    [
        (NoticeKind.Quota, "Quota: an application reached 80, 90 or 100% of its monthly quota, or used it up"),
        (NoticeKind.ApplicationOffline, "An application was taken offline by ControlPanel staff"),
        (NoticeKind.Keys, "Keys were rotated or revoked"),
        (NoticeKind.WebhookEndpointDisabled, "A webhook endpoint was disabled because its deliveries kept failing"),
    ];

    public static async Task AddAsync(ControlPanelDbContext db, Guid accountId, NoticeKind kind, string mailKind, Func<string, MailContent> content, DateTime now)
    {
        // The account's Owners (members with that role), not Developers or Viewers.
        var owners = await db.AccountMembers.AsNoTracking()
            .Where(m => m.AccountId == accountId && m.Role == Roles.Owner).Select(m => m.User!)
            .Where(u => u.PasswordHash != null && u.Email != null && (u.MutedNotices & (int)kind) == 0)
            .Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync();
        foreach (var owner in owners)
            MailOutbox.Add(db, mailKind, owner.Email!, content(owner.DisplayName), now, owner.Id);
        // Only the extra recipients who confirmed they want the notices: an owner's word is not a recipient's consent.
        var extra = await db.NoticeRecipients.AsNoTracking().Where(r => r.AccountId == accountId).Select(r => r.Confirmed).SingleOrDefaultAsync();
        foreach (var address in ParseRecipients(extra).Where(a => !owners.Any(o => string.Equals(o.Email, a, StringComparison.OrdinalIgnoreCase))))
            MailOutbox.Add(db, mailKind, address, content(""), now);
    }

    /// <summary>The extra recipients as stored: addresses separated by commas, semicolons or new lines.</summary>
    public static IReadOnlyList<string> ParseRecipients(string? text) =>
        (text ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Checks and normalises an owner's list; one address a line.</summary>
    public static string? NormaliseRecipients(string? text)
    {
        var addresses = ParseRecipients(text);
        if (addresses.Count > MaxExtraRecipients) throw new ValidationException($"Give at most {MaxExtraRecipients} extra addresses.");
        foreach (var address in addresses)
            if (!MailboxAddress.TryParse(address, out var parsed) || parsed.Address != address || !address.Contains('@'))
                throw new ValidationException($"\"{address}\" is not an email address.");
        var joined = string.Join("\n", addresses);
        if (joined.Length > RecipientsMaxLength) throw new ValidationException($"Use at most {RecipientsMaxLength} characters.");
        return joined.Length == 0 ? null : joined;
    }
}

/// <summary>Addresses (one a line) that get an account's notices besides its owners, such as a team address, once each confirmed.</summary>
public class NoticeRecipients : IAccountOwned
{
    public Guid AccountId { get; set; }

    /// <summary>The addresses the owner gave.</summary>
    public required string Addresses { get; set; }

    /// <summary>Those of <see cref="Addresses"/> that followed their confirmation link (one a line): only these get notices.</summary>
    public string? Confirmed { get; set; }
}

/// <summary>
/// An owner's choice of notices and the account's extra recipients, on the account page. An extra recipient gets nothing
/// until they confirm: each address the owner adds is mailed one link (no text the owner typed in it), and following it
/// is the recipient's consent; an address removed loses it.
/// </summary>
public sealed class NoticeSettings(
    ControlPanelDbContext db, IDataProtectionProvider protection, IOptions<DataProtectionTokenProviderOptions> tokens, IOptions<EmailOptions> email,
    TimeProvider clock)
{
    /// <summary>Confirmation links one owner may cause to be sent per hour, so the list cannot be used to mail strangers at will.</summary>
    public const int ConfirmationMailsPerHour = 20;

    public const string TooManyConfirmations = "Many confirmation links were sent in the last hour: try again later.";

    /// <param name="Unconfirmed">Extra recipients who have not followed their link yet, and so get nothing.</param>
    public sealed record Settings(NoticeKind Muted, string ExtraRecipients, bool CanEditRecipients, IReadOnlyList<string> Unconfirmed);

    /// <summary>How long a confirmation link works (the invitation links' lifetime).</summary>
    public TimeSpan LinkLifetime => tokens.Value.TokenLifespan;

    private IDataProtector Links => protection.CreateProtector("ControlPanel.NoticeRecipients.Confirmation");

    public async Task<Settings> GetAsync(Viewer viewer)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == viewer.UserId) ?? throw new AccessDeniedException();
        var extra = user.AccountId is { } id ? await db.NoticeRecipients.AsNoTracking().SingleOrDefaultAsync(r => r.AccountId == id) : null;
        var confirmed = Notices.ParseRecipients(extra?.Confirmed);
        var unconfirmed = Notices.ParseRecipients(extra?.Addresses).Where(a => !confirmed.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
        return new Settings((NoticeKind)user.MutedNotices, extra?.Addresses ?? "", viewer.IsOwner && user.AccountId is not null, unconfirmed);
    }

    /// <summary>
    /// Saves which notices the viewer gets and, for an owner, the account's extra recipients: each address new to the list
    /// is mailed its confirmation link, in the same transaction; an address kept keeps its confirmation.
    /// </summary>
    public async Task SaveAsync(Viewer viewer, NoticeKind wanted, string? extraRecipients)
    {
        // A read-only access token changes nothing, here as in every other account setting.
        if (viewer.ReadOnly) throw new AccessDeniedException();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == viewer.UserId) ?? throw new AccessDeniedException();
        var all = Notices.Choices.Aggregate(NoticeKind.None, (sum, c) => sum | c.Kind);
        user.MutedNotices = (int)(all & ~wanted);
        if (viewer.IsOwner && user.AccountId is { } accountId && viewer.CanChange(accountId))
        {
            var addresses = Notices.NormaliseRecipients(extraRecipients);
            var row = await db.NoticeRecipients.SingleOrDefaultAsync(r => r.AccountId == accountId);
            var given = Notices.ParseRecipients(row?.Addresses);
            var added = Notices.ParseRecipients(addresses).Where(a => !given.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
            await MailConfirmationsAsync(user, accountId, added);
            if (addresses is null && row is not null) db.NoticeRecipients.Remove(row);
            else if (addresses is not null && row is null) db.NoticeRecipients.Add(new NoticeRecipients { AccountId = accountId, Addresses = addresses });
            else if (addresses is not null)
            {
                row!.Addresses = addresses;
                var kept = Notices.ParseRecipients(row.Confirmed).Where(a => Notices.ParseRecipients(addresses).Contains(a, StringComparer.OrdinalIgnoreCase));
                row.Confirmed = Joined(kept);
            }
        }
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The recipient followed their link: their address gets the account's notices from now on, if the owner still lists it.
    /// Returns the address, or null for a bad, expired or withdrawn link.
    /// </summary>
    public async Task<string?> ConfirmAsync(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        string[] parts;
        try
        {
            parts = Links.Unprotect(token).Split('\n');
        }
        catch (CryptographicException)
        {
            return null;
        }
        if (parts.Length != 3 || !Guid.TryParse(parts[0], out var accountId) || !long.TryParse(parts[2], out var issuedTicks)) return null;
        if (clock.GetUtcNow().UtcDateTime - new DateTime(issuedTicks, DateTimeKind.Utc) > LinkLifetime) return null;
        var address = parts[1];
        var row = await db.NoticeRecipients.SingleOrDefaultAsync(r => r.AccountId == accountId);
        if (row is null || !Notices.ParseRecipients(row.Addresses).Contains(address, StringComparer.OrdinalIgnoreCase)) return null;
        var confirmed = Notices.ParseRecipients(row.Confirmed);
        if (!confirmed.Contains(address, StringComparer.OrdinalIgnoreCase))
        {
            row.Confirmed = Joined([.. confirmed, address]);
            await db.SaveChangesAsync();
        }
        return address;
    }

    private async Task MailConfirmationsAsync(ControlPanelUser owner, Guid accountId, IReadOnlyList<string> addresses)
    {
        if (addresses.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        // Counted against the owner who listed them (each mail carries their id), like their own confirmation links.
        if (await MailOutbox.CountSinceAsync(db, MailKinds.NoticeRecipientConfirmation, owner.Id, now.AddHours(-1)) + addresses.Count > ConfirmationMailsPerHour)
            throw new ValidationException(TooManyConfirmations);
        foreach (var address in addresses)
        {
            var token = Links.Protect($"{accountId}\n{address}\n{now.Ticks}");
            MailOutbox.Add(db, MailKinds.NoticeRecipientConfirmation, address,
                MailTemplates.ConfirmNoticeRecipient(PublicLinks.ConfirmNoticeRecipient(email.Value, token), LinkLifetime), now, owner.Id);
        }
    }

    private static string? Joined(IEnumerable<string> addresses)
    {
        var joined = string.Join("\n", addresses);
        return joined.Length == 0 ? null : joined;
    }
}
