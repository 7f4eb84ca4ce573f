using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Origins;

/// <summary>Reading and saving an application's origin allowlist (origin access identity).</summary>
public sealed class AllowlistService(IDbContextFactory<ControlPanelDbContext> databases, ChangeFeed changes, TimeProvider clock)
{
    /// <summary>More entries than this is a sign of pasting the wrong thing; ranges cover large networks.</summary>
    public const int MaxEntries = 500;

    /// <param name="Saved">False when any line was invalid: nothing was saved then.</param>
    /// <param name="Errors">One per invalid line.</param>
    /// <param name="Entries">The normalised list now in force (the old one when nothing was saved).</param>
    /// <param name="RequiresBoth">The rule now in force for lists with both kinds (<see cref="OriginAllowlist.RequiresBoth"/>).</param>
    public sealed record SaveResult(bool Saved, IReadOnlyList<OriginLineError> Errors, IReadOnlyList<string> Entries, bool RequiresBoth = false);

    /// <param name="Lines">The list as stored, one entry per line.</param>
    /// <param name="Unreadable">
    /// Stored lines that no longer parse (stricter rules since, or an edit outside the app). While there
    /// is one, every call is refused with 111 (<see cref="OriginAllowlist.Unreadable"/>) until the list is saved again.
    /// </param>
    /// <param name="RequiresBoth">See <see cref="OriginAllowlist.RequiresBoth"/>.</param>
    public sealed record Stored(IReadOnlyList<string> Lines, IReadOnlyList<OriginLineError> Unreadable, bool RequiresBoth = false);

    public async Task<Stored> GetAsync(Viewer viewer, Guid applicationId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.AsNoTracking().FindForReadAsync(viewer, a => a.Id == applicationId);
        var lines = Lines(application.AllowedOrigins);
        return new Stored(lines, OriginAllowlist.Parse(lines).Errors, application.AllowlistRequiresBoth);
    }

    /// <summary>
    /// Validates every line and saves the normalised, de-duplicated list, or nothing when a line is
    /// invalid (saving only the valid part could silently leave out an address the user meant).
    /// Empty text removes the restriction. In force for the next call once this returns.
    /// </summary>
    /// <param name="requiresBoth">The rule for lists with both kinds (<see cref="OriginAllowlist.RequiresBoth"/>); null keeps the current one.</param>
    public async Task<SaveResult> SaveAsync(Viewer viewer, Guid applicationId, string? text, bool? requiresBoth = null)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.FindForChangeAsync(viewer, a => a.Id == applicationId);

        var before = Lines(application.AllowedOrigins);
        var parsed = OriginAllowlist.Parse(text ?? "");
        var errors = parsed.Errors.ToList();
        if (parsed.Entries.Count > MaxEntries)
            errors.Add(new OriginLineError(0, "", $"An allowlist holds at most {MaxEntries} entries; use CIDR ranges or wildcards to cover more."));
        var bothBefore = application.AllowlistRequiresBoth;
        if (errors.Count > 0) return new SaveResult(false, errors, before, bothBefore);

        var after = parsed.Entries.Select(e => e.ToString()).ToList();
        var bothAfter = requiresBoth ?? bothBefore;
        if (!after.SequenceEqual(before) || bothAfter != bothBefore)
        {
            application.AllowedOrigins = string.Join('\n', after);
            application.AllowlistRequiresBoth = bothAfter;
            var what = new List<string>();
            if (!after.SequenceEqual(before)) what.Add($"Origin allowlist: {Describe(before)} → {Describe(after)}");
            if (bothAfter != bothBefore) what.Add($"Origin and IP: {DescribeRule(bothBefore)} → {DescribeRule(bothAfter)}");
            AuditLog.Record(db, viewer, clock.GetUtcNow().UtcDateTime, AuditActions.ApplicationOriginsChanged, application.AccountId, application.Id,
                string.Join("; ", what));
            await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
        }
        return new SaveResult(true, [], after, bothAfter);
    }

    private static string DescribeRule(bool requiresBoth) => requiresBoth ? "both must match" : "either admits";

    private static List<string> Lines(string stored) =>
        stored.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string Describe(IReadOnlyList<string> entries) =>
        entries.Count == 0 ? "(empty: every origin allowed)" : string.Join(", ", entries);
}
