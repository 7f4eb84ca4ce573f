using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using static ControlPanel.Web.Api.ManagementApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// An application's sessions under /api/v1/manage/applications/{id}/sessions, behind the management API's token filter: owners'
/// tokens read their own account's, staff tokens any; read-and-write tokens of an owner or Admin end one. Through
/// <see cref="SessionHistory"/>, as the Sessions tab does.
/// </summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder manage)
    {
        var sessions = manage.MapGroup("/applications/{applicationId:guid}/sessions");
        sessions.MapGet("", ListSessionsAsync)
            .Named("ListSessions", "The application's sessions, newest first: opened when, from where, with which keys, view, calls, refusals, last call, expiry (state Live/Expired/Ended, address prefix, view, skip, take up to 500)")
            .Answers<SessionPage>(StatusCodes.Status200OK).Example(null, SessionExamples.Page);
        sessions.MapGet("/{sessionId:guid}", GetSessionAsync)
            .Named("GetSession", "One session with its view changes and its calls per minute by resource and outcome (0 allowed, else the error code)")
            .Answers<SessionDetails>(StatusCodes.Status200OK).Example(null, SessionExamples.Details);
        sessions.MapPost("/{sessionId:guid}/end", EndSessionAsync)
            .Named("EndSession", "End a live session now: its token answers 113 on every instance within a second (owners and Admins)")
            .Answers<SessionItem>(StatusCodes.Status200OK, write: true).Example(null, SessionExamples.Ended);
        return manage;
    }

    private static Task<IResult> ListSessionsAsync(HttpContext http, Guid applicationId, SessionHistory sessions,
        string? state, string? address, string? view, string? skip, string? take) =>
        AsTokenAsync(http, async use =>
        {
            SessionState? wanted = null;
            if (!string.IsNullOrEmpty(state))
            {
                if (!TryParse<SessionState>(state, out var parsed)) return Invalid($"state must be one of {Choices<SessionState>()}.");
                wanted = parsed;
            }
            var (from, count) = (0, 50);
            if (!string.IsNullOrEmpty(skip) && (!int.TryParse(skip, out from) || from < 0)) return Invalid("skip must be a whole number, 0 or more.");
            if (!string.IsNullOrEmpty(take) && (!int.TryParse(take, out count) || count is < 1 or > SessionHistory.MaxPageSize))
                return Invalid($"take must be 1 to {SessionHistory.MaxPageSize}.");
            var page = await sessions.ListAsync(use.Viewer, applicationId, new SessionHistory.Filter(wanted, address, view), from, count);
            return TypedResults.Ok(new SessionPage([.. page.Rows.Select(SessionItem.From)], page.Total));
        });

    private static Task<IResult> GetSessionAsync(HttpContext http, Guid applicationId, Guid sessionId, SessionHistory sessions) =>
        AsTokenAsync(http, async use => TypedResults.Ok(SessionDetails.From(await sessions.GetAsync(use.Viewer, applicationId, sessionId))));

    private static Task<IResult> EndSessionAsync(HttpContext http, Guid applicationId, Guid sessionId, SessionHistory sessions) =>
        AsTokenAsync(http, async use =>
        {
            await sessions.EndAsync(use.Viewer, applicationId, sessionId);
            return TypedResults.Ok(SessionItem.From((await sessions.GetAsync(use.Viewer, applicationId, sessionId)).Session));
        });
}

/// <param name="KeyPair">The opening key pair's application key as "…1a2b" (hidden from Support tokens).</param>
/// <param name="LastCall">The start of the minute of the last call; null before the first.</param>
public sealed record SessionItem(
    Guid Id, Guid ApplicationId, Guid KeyPairId, string KeyPair, DateTime OpenedAt, string OpenedFrom, string View, string State,
    DateTime ExpiresAt, DateTime? EndedAt, string? EndedBy, long Calls, long Refusals, DateTime? LastCall)
{
    public static SessionItem From(SessionHistory.Row r) => new(
        r.Id, r.ApplicationId, r.KeyPairId, r.KeyPair, r.OpenedAt, r.OpenedFrom, r.View, r.State.ToString(), r.ExpiresAt, r.EndedAt, r.EndedBy,
        r.Calls, r.Refusals, r.LastCall);
}

public sealed record SessionPage(IReadOnlyList<SessionItem> Sessions, int Total);

public sealed record SessionViewChangeItem(DateTime At, string From, string To);

/// <param name="Outcome">0 for allowed calls, otherwise the error code answered.</param>
public sealed record SessionActivityItem(DateTime Minute, Guid ResourceId, string Resource, int Outcome, string OutcomeName, long Calls);

public sealed record SessionDetails(SessionItem Session, string FirstView, IReadOnlyList<SessionViewChangeItem> ViewChanges, IReadOnlyList<SessionActivityItem> Activity)
{
    public static SessionDetails From(SessionHistory.Details d) => new(
        SessionItem.From(d.Session), d.FirstView,
        [.. d.ViewChanges.Select(c => new SessionViewChangeItem(c.At, c.From, c.To))],
        [.. d.Activity.Select(a => new SessionActivityItem(a.Minute, a.ResourceId, a.Resource, a.Outcome, UsageOutcomes.Of(a.Outcome).Label(), a.Calls))]);
}

internal static class SessionExamples
{
    private static readonly DateTime Opened = new(2026, 12, 7, 14, 2, 11, DateTimeKind.Utc);

    public static readonly SessionItem Item = new(
        Guid.Parse("3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b"), Guid.Parse("0b6d3c2a-1e4f-4a5b-8c9d-7e6f5a4b3c2d"), Guid.Parse("9a8b7c6d-5e4f-4321-8fed-cba987654321"),
        "…1a2b", Opened, "203.0.113.7", "catalogue", "Live", Opened.AddHours(2), null, null, 42, 3, new DateTime(2026, 12, 7, 14, 20, 0, DateTimeKind.Utc));

    public static readonly SessionPage Page = new([Item], 1);

    public static readonly SessionItem Ended = Item with { State = "Ended", ExpiresAt = Opened.AddMinutes(25), EndedAt = Opened.AddMinutes(25), EndedBy = "Olivia Owner" };

    public static readonly SessionDetails Details = new(Item, "default",
        [new SessionViewChangeItem(Opened.AddMinutes(3), "default", "catalogue")],
        [
            new SessionActivityItem(new DateTime(2026, 12, 7, 14, 5, 0, DateTimeKind.Utc), Guid.Parse("5b7c3e1a-2d4f-4a6b-9c8d-0e1f2a3b4c5d"), "GET /v1/chats/{id}", 0, "Allowed", 39),
            new SessionActivityItem(new DateTime(2026, 12, 7, 14, 5, 0, DateTimeKind.Utc), Guid.Parse("5b7c3e1a-2d4f-4a6b-9c8d-0e1f2a3b4c5d"), "GET /v1/chats/{id}", 158, "158 rate limited", 3),
        ]);
}
