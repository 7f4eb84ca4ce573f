using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Audit;

/// <summary>Writes and searches the audit log. Owners see their own account's entries; staff see all.</summary>
public sealed class AuditLog(IDbContextFactory<ControlPanelDbContext> databases)
{
    public sealed record Filter(
        Guid? AccountId = null, Guid? ApplicationId = null, string? Actor = null, string? Action = null,
        DateTime? From = null, DateTime? To = null, int Skip = 0, int Take = 50);

    public sealed record Page(IReadOnlyList<AuditEntry> Entries, int Total);

    /// <summary>A filter for whole UTC days, both inclusive; a range that ends before it starts is refused.</summary>
    public static Filter ForDays(Guid? accountId, Guid? applicationId, string? actor, string? action, DateOnly? from, DateOnly? to)
    {
        if (from is { } f && to is { } t && t < f)
            throw new InvalidDateRangeException($"The end date {t:yyyy-MM-dd} is before the start date {f:yyyy-MM-dd}.");
        return new Filter(accountId, applicationId, actor, action,
            from?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
    }

    /// <summary>Adds an entry to the unit of work, so it is saved together with the change it describes.</summary>
    public static void Record(ControlPanelDbContext db, Viewer actor, DateTime at, string action, Guid? accountId, Guid? applicationId, string changes) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            ActorUserId = actor.UserId,
            ActorName = actor.Name,
            AccountId = accountId,
            ApplicationId = applicationId,
            Action = action,
            Changes = changes,
            ClientIp = actor.ClientIp,
        });

    public async Task<Page> SearchAsync(Viewer viewer, Filter filter)
    {
        await using var db = await databases.CreateDbContextAsync();
        // Entries about no account (staff invitations, ...) are staff's only.
        var entries = db.AuditEntries.AsNoTracking().VisibleTo(viewer, e => e.AccountId);

        if (filter.AccountId is { } accountId) entries = entries.Where(e => e.AccountId == accountId);
        if (filter.ApplicationId is { } applicationId) entries = entries.Where(e => e.ApplicationId == applicationId);
        if (!string.IsNullOrWhiteSpace(filter.Actor)) entries = entries.Where(e => e.ActorName.Contains(filter.Actor.Trim()));
        if (!string.IsNullOrWhiteSpace(filter.Action)) entries = entries.Where(e => e.Action == filter.Action);
        if (filter.From is { } from) entries = entries.Where(e => e.At >= from);
        if (filter.To is { } to) entries = entries.Where(e => e.At < to);

        var total = await entries.CountAsync();
        var page = await entries.OrderByDescending(e => e.Id).Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, 500)).ToListAsync();
        // Support and the Viewer role hold no keys, so they see none of their last four characters, here as on the key list.
        if (viewer.SeesNoSecrets)
            foreach (var entry in page) entry.Changes = KeyRedaction.InText(entry.Changes);
        return new Page(page, total);
    }
}
