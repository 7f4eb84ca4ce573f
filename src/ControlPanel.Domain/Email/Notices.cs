using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
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
        var extra = await db.NoticeRecipients.AsNoTracking().Where(r => r.AccountId == accountId).Select(r => r.Addresses).SingleOrDefaultAsync();
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

/// <summary>Addresses (one a line) that get an account's notices besides its owners, such as a team address.</summary>
public class NoticeRecipients : IAccountOwned
{
    public Guid AccountId { get; set; }
    public required string Addresses { get; set; }
}

/// <summary>An owner's choice of notices and the account's extra recipients, on the account page.</summary>
public sealed class NoticeSettings(ControlPanelDbContext db)
{
    public sealed record Settings(NoticeKind Muted, string ExtraRecipients, bool CanEditRecipients);

    public async Task<Settings> GetAsync(Viewer viewer)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == viewer.UserId) ?? throw new AccessDeniedException();
        var extra = user.AccountId is { } id ? await db.NoticeRecipients.AsNoTracking().Where(r => r.AccountId == id).Select(r => r.Addresses).SingleOrDefaultAsync() : null;
        return new Settings((NoticeKind)user.MutedNotices, extra ?? "", viewer.IsOwner && user.AccountId is not null);
    }

    /// <summary>Saves which notices the viewer gets and, for an owner, the account's extra recipients.</summary>
    public async Task SaveAsync(Viewer viewer, NoticeKind wanted, string? extraRecipients)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == viewer.UserId) ?? throw new AccessDeniedException();
        var all = Notices.Choices.Aggregate(NoticeKind.None, (sum, c) => sum | c.Kind);
        user.MutedNotices = (int)(all & ~wanted);
        if (viewer.IsOwner && user.AccountId is { } accountId && viewer.CanChange(accountId))
        {
            var addresses = Notices.NormaliseRecipients(extraRecipients);
            var row = await db.NoticeRecipients.SingleOrDefaultAsync(r => r.AccountId == accountId);
            if (addresses is null && row is not null) db.NoticeRecipients.Remove(row);
            else if (addresses is not null && row is null) db.NoticeRecipients.Add(new NoticeRecipients { AccountId = accountId, Addresses = addresses });
            else if (addresses is not null) row!.Addresses = addresses;
        }
        await db.SaveChangesAsync();
    }
}
