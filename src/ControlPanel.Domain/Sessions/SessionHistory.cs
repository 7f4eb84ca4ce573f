using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Sessions;

/// <summary>Where a session stands: its token works, it ran out (2 hours), or an owner or admin ended it.</summary>
public enum SessionState { Live, Expired, Ended }

/// <summary>
/// An application's sessions as the Sessions tab, a session's page and the management API read them: when, from where and with
/// which keys each was opened, its view changes, and its calls per minute by resource and outcome (what
/// <see cref="SessionActivityMeter"/> flushed). Owners read their own account's, staff any; an owner or admin ends a session,
/// and its token answers 113 on every instance (through the change feed).
/// </summary>
public sealed class SessionHistory(IDbContextFactory<ControlPanelDbContext> databases, ChangeFeed changes, ResourceCatalogue resources, TimeProvider clock)
{
    public const int MaxPageSize = 500;

    /// <summary>A session's timeline spans at least this many minutes from its opening, so a short one still reads as minutes.</summary>
    public const int MinimumTimelineMinutes = 15;

    /// <summary>Which sessions to list; null parts match every session. <paramref name="Address"/> matches the start of the opening address.</summary>
    public sealed record Filter(SessionState? State = null, string? Address = null, string? View = null);

    /// <param name="KeyPair">The opening key pair's application key, "…1a2b" (hidden from Support, who hold no keys).</param>
    /// <param name="LastCall">The minute of the last call recorded (flushed every second); null before the first.</param>
    public sealed record Row(
        Guid Id, Guid ApplicationId, Guid KeyPairId, string KeyPair, DateTime OpenedAt, string OpenedFrom, string View,
        DateTime ExpiresAt, DateTime? EndedAt, string? EndedBy, SessionState State, long Calls, long Refusals, DateTime? LastCall);

    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    public sealed record ViewChange(DateTime At, string From, string To);

    /// <summary>Calls of one minute on one resource with one outcome (0 allowed, else the error code answered).</summary>
    public sealed record Activity(DateTime Minute, Guid ResourceId, string Resource, int Outcome, long Calls);

    /// <summary>One resource's calls in the session: by outcome in all, and per minute of <see cref="Details.Period"/>.</summary>
    public sealed record ResourceActivity(Guid ResourceId, string Resource, UsageCounts Totals, IReadOnlyList<long> PerMinute);

    /// <param name="FirstView">The view the session was opened on.</param>
    /// <param name="Period">From the minute it opened to the minute it ended (or now, while live), at least <see cref="MinimumTimelineMinutes"/>, by minute.</param>
    /// <param name="Minutes">Every minute of <paramref name="Period"/> with its calls by outcome (zero when there were none).</param>
    /// <param name="Resources">The resources it called, most calls first.</param>
    /// <param name="Activity">The stored rows: calls per minute, resource and outcome code.</param>
    /// <param name="CanEnd">The viewer may end it now (an owner of its account or an admin, and it is live).</param>
    public sealed record Details(
        Row Session, string ApplicationName, string FirstView, IReadOnlyList<ViewChange> ViewChanges, UsagePeriod Period,
        IReadOnlyList<UsageCounts> Minutes, IReadOnlyList<ResourceActivity> Resources, IReadOnlyList<Activity> Activity, bool CanEnd);

    /// <summary>The application's sessions, newest first, with their calls and refusals; a page of them.</summary>
    public async Task<Page> ListAsync(Viewer viewer, Guid applicationId, Filter filter, int skip = 0, int take = 50)
    {
        await using var db = await databases.CreateDbContextAsync();
        await db.Applications.AsNoTracking().FindForReadAsync(viewer, a => a.Id == applicationId);
        var now = Now;
        var sessions = db.Sessions.AsNoTracking().Where(s => s.ApplicationId == applicationId);
        sessions = filter.State switch
        {
            SessionState.Live => sessions.Where(s => s.ExpiresAt > now),
            SessionState.Expired => sessions.Where(s => s.ExpiresAt <= now && s.EndedAt == null),
            SessionState.Ended => sessions.Where(s => s.EndedAt != null),
            _ => sessions,
        };
        if (filter.Address?.Trim() is { Length: > 0 } address) sessions = sessions.Where(s => s.OpenedFrom.StartsWith(address));
        if (filter.View?.Trim() is { Length: > 0 } view) sessions = sessions.Where(s => s.View == view);
        var total = await sessions.CountAsync();
        var page = await sessions.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPageSize)).ToListAsync();
        return new Page(await RowsAsync(db, viewer, page, now), total);
    }

    /// <summary>One session of the application with its view changes and activity; <see cref="AccessDeniedException"/> when not the viewer's to read.</summary>
    public async Task<Details> GetAsync(Viewer viewer, Guid applicationId, Guid sessionId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.AsNoTracking().FindForReadAsync(viewer, a => a.Id == applicationId);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId && s.ApplicationId == applicationId)
            ?? throw new AccessDeniedException();
        var now = Now;
        var row = (await RowsAsync(db, viewer, [session], now))[0];
        var viewChanges = (await db.SessionViewChanges.AsNoTracking().Where(c => c.SessionId == sessionId).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync())
            .Select(c => new ViewChange(c.At, c.FromView, c.ToView)).ToList();
        var activity = (await db.SessionActivity.AsNoTracking().Where(a => a.SessionId == sessionId && a.Calls != 0).ToListAsync())
            .Select(a => new Activity(a.Minute, a.ResourceId, resources.TitleOf(a.ResourceId), a.Outcome, a.Calls))
            .OrderBy(a => a.Minute).ThenBy(a => a.Resource, StringComparer.Ordinal).ThenBy(a => a.Outcome)
            .ToList();
        var firstView = viewChanges.Count > 0 ? viewChanges[0].From : session.View;
        var (period, minutes, byResource) = Timeline(session, activity, now);
        return new Details(row, application.Name, firstView, viewChanges, period, minutes, byResource, activity,
            row.State == SessionState.Live && viewer.CanChange(application.AccountId));
    }

    /// <summary>The session's minutes (at most its 2 hours) with calls by outcome, and each resource's calls per minute.</summary>
    private static (UsagePeriod, IReadOnlyList<UsageCounts>, IReadOnlyList<ResourceActivity>) Timeline(Session session, IReadOnlyList<Activity> activity, DateTime now)
    {
        static DateTime MinuteOf(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        var first = MinuteOf(session.CreatedAt);
        var last = MinuteOf(session.ExpiresAt < now ? session.ExpiresAt : now);
        // Calls flushed into a minute past the end (a call checked as the session ended) still show.
        foreach (var a in activity) if (a.Minute > last) last = MinuteOf(a.Minute);
        var count = Math.Max(MinimumTimelineMinutes, (int)((last - first).Ticks / TimeSpan.TicksPerMinute) + 1);
        var period = new UsagePeriod(UsageRangePreset.Custom, first, TimeSpan.FromMinutes(1), count);

        var minutes = new UsageCounts.Builder[count];
        for (var i = 0; i < count; i++) minutes[i] = new(first.AddMinutes(i));
        var calledResources = new Dictionary<Guid, (string Title, UsageCounts.Builder Totals, long[] PerMinute)>();
        foreach (var a in activity)
        {
            var index = (int)((MinuteOf(a.Minute) - first).Ticks / TimeSpan.TicksPerMinute);
            if (index < 0) continue;
            minutes[index].Add(a.Outcome, false, a.Calls);
            if (!calledResources.TryGetValue(a.ResourceId, out var resource))
                calledResources[a.ResourceId] = resource = (a.Resource, new UsageCounts.Builder(first), new long[count]);
            resource.Totals.Add(a.Outcome, false, a.Calls);
            resource.PerMinute[index] += a.Calls;
        }
        var byResource = calledResources
            .Select(r => new ResourceActivity(r.Key, r.Value.Title, r.Value.Totals.Build(), r.Value.PerMinute))
            .OrderByDescending(r => r.Totals.Total).ThenBy(r => r.Resource, StringComparer.Ordinal)
            .ToList();
        return (period, minutes.Select(m => m.Build()).ToList(), byResource);
    }

    /// <summary>
    /// Ends a live session now: its token answers 113 TOKEN EXPIRED on every instance within a second, and the end is audited.
    /// Refused (a <see cref="ValidationException"/>) when it has already expired or ended.
    /// </summary>
    public async Task EndAsync(Viewer viewer, Guid applicationId, Guid sessionId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.AsNoTracking().FindForChangeAsync(viewer, a => a.Id == applicationId);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId && s.ApplicationId == applicationId)
            ?? throw new AccessDeniedException();
        var now = Now;
        if (session.EndedAt is not null) throw new ValidationException($"This session was already ended on {session.EndedAt:yyyy-MM-dd HH:mm} UTC.");
        if (session.ExpiresAt <= now) throw new ValidationException($"This session already expired on {session.ExpiresAt:yyyy-MM-dd HH:mm} UTC.");

        await using var transaction = await db.Database.BeginTransactionAsync();
        // Only while still live, so two ends at once save one.
        var ended = await db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.ExpiresAt, now).SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndedBy, viewer.Name));
        if (ended == 0) throw new ValidationException("This session has already ended.");
        AuditLog.Record(db, viewer, now, AuditActions.SessionEnded, application.AccountId, application.Id,
            $"Ended session {session.Id} opened {session.CreatedAt:yyyy-MM-dd HH:mm} UTC from {Address(session.OpenedFrom)}");
        await changes.SaveAsync(db, ChangeTopic.Session, sessionId);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static string Address(string openedFrom) => openedFrom.Length > 0 ? openedFrom : "an unknown address";

    /// <summary>The sessions with their keys' last four and their calls, refusals and last call, in the order given.</summary>
    private static async Task<IReadOnlyList<Row>> RowsAsync(ControlPanelDbContext db, Viewer viewer, IReadOnlyList<Session> sessions, DateTime now)
    {
        var ids = sessions.Select(s => s.Id).ToList();
        var keyPairIds = sessions.Select(s => s.KeyPairId).Distinct().ToList();
        var sums = await db.SessionActivity.AsNoTracking().Where(a => ids.Contains(a.SessionId))
            .GroupBy(a => a.SessionId)
            .Select(g => new
            {
                SessionId = g.Key,
                Calls = g.Sum(a => a.Calls),
                Refusals = g.Sum(a => a.Outcome != 0 ? a.Calls : 0),
                LastCall = g.Max(a => (DateTime?)a.Minute),
            })
            .ToDictionaryAsync(s => s.SessionId);
        var lastFours = await db.KeyPairs.AsNoTracking().Where(p => keyPairIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.ApplicationKeyLast4);
        return sessions.Select(s =>
        {
            var sum = sums.GetValueOrDefault(s.Id);
            var state = s.EndedAt is not null ? SessionState.Ended : s.ExpiresAt > now ? SessionState.Live : SessionState.Expired;
            // Support never sees key material, not even the last characters.
            var keyPair = "…" + (viewer.IsSupport ? KeyRedaction.Hidden : lastFours.GetValueOrDefault(s.KeyPairId, "????"));
            return new Row(s.Id, s.ApplicationId, s.KeyPairId, keyPair, s.CreatedAt, s.OpenedFrom, s.View, s.ExpiresAt, s.EndedAt, s.EndedBy, state,
                sum?.Calls ?? 0, sum?.Refusals ?? 0, sum?.LastCall);
        }).ToList();
    }
}
