using System.Text.Json;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Web.Api;

/// <summary>Body of <c>POST /api/v1/manage/webhooks/endpoints/{id}/replays</c>: events since (and before until), all or failed only.</summary>
public sealed record ReplayRequest(DateTime? Since, DateTime? Until = null, bool? FailedOnly = null);

/// <summary>A replay and how far it has got.</summary>
public sealed record ReplayItem(
    Guid Id, Guid EndpointId, DateTime Since, DateTime? Until, bool FailedOnly, int Total, int Done, int Failed, bool IsRunning,
    DateTime CreatedAt, string CreatedBy, DateTime? CancelledAt)
{
    public static ReplayItem From(WebhookReplayService.Progress p) =>
        new(p.Id, p.EndpointId, p.Since, p.Until, p.FailedOnly, p.Total, p.Done, p.Failed, p.IsRunning, p.CreatedAt, p.CreatedBy, p.CancelledAt);
}

/// <summary>One event type of the catalogue: its data's JSON Schema (draft 2020-12) and an example.</summary>
public sealed record EventTypeItem(string Name, string Description, string Source, int Version, JsonElement Schema, JsonElement Example, bool Custom)
{
    public static EventTypeItem From(EventType t) => new(t.Name, t.Description, t.Source == EventSource.Platform ? "platform" : "control_panel", t.Version,
        JsonDocument.Parse(t.SchemaJson).RootElement.Clone(), JsonDocument.Parse(t.ExampleJson).RootElement.Clone(), t.IsCustom);
}

/// <summary>
/// The management API's webhook recovery and event catalogue, in the group <see cref="ManagementApi"/> authenticates (its own
/// file so the rest of the management API is not grown by it).
/// </summary>
public static class WebhookManagementApi
{
    public static RouteGroupBuilder MapWebhookManagementApi(this RouteGroupBuilder manage)
    {
        manage.MapGet("/event-types", ListEventTypesAsync).Named("ListEventTypes", "Every webhook event type with its data's JSON Schema (draft 2020-12), an example and its version")
            .Answers<EventTypeItem[]>(StatusCodes.Status200OK).Example(null, new[] { EventTypeItem.From(EventTypes.BuiltIn[0]) });
        manage.MapPost("/webhooks/endpoints/{endpointId:guid}/replays", StartReplayAsync)
            .Named("ReplayWebhookEvents", "Send the endpoint's events since a time (and before until) again, all or failed only, with their original webhook-id, at its throttle")
            .Answers<ReplayItem>(StatusCodes.Status202Accepted, write: true).Example(new ReplayRequest(Example.Since, null, true), Example);
        manage.MapGet("/webhooks/replays/{replayId:guid}", GetReplayAsync).Named("GetWebhookReplay", "A replay's progress")
            .Answers<ReplayItem>(StatusCodes.Status200OK).Example(null, Example);
        manage.MapPost("/webhooks/replays/{replayId:guid}/cancel", CancelReplayAsync).Named("CancelWebhookReplay", "Stop a replay: what it has not sent yet is handed back")
            .Answers<ReplayItem>(StatusCodes.Status200OK, write: true).Example(null, Example with { IsRunning = false, CancelledAt = new DateTime(2026, 12, 7, 14, 5, 0, DateTimeKind.Utc) });
        return manage;
    }

    private static readonly ReplayItem Example = new(ManagementExamples.DeliveryId, ManagementExamples.Endpoint.Id,
        new DateTime(2026, 12, 1, 14, 0, 0, DateTimeKind.Utc), null, true, 120, 45, 0, true, new DateTime(2026, 12, 7, 14, 0, 0, DateTimeKind.Utc), "Olivia Owner", null);

    private static Task<IResult> ListEventTypesAsync(HttpContext http, EventCatalogue catalogue) =>
        ManagementApi.AsTokenAsync(http, async _ => TypedResults.Ok((await catalogue.ListAsync(http.RequestAborted)).Select(EventTypeItem.From).ToArray()));

    private static Task<IResult> StartReplayAsync(HttpContext http, Guid endpointId, WebhookReplayService replays) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.ReplayRequest);
            if (body is null) return ManagementApi.Invalid("Send a JSON object: {\"since\": \"2026-12-01T14:00:00Z\", \"until\"?, \"failedOnly\"?}.");
            var form = new WebhookReplayService.Form { Since = body.Since?.ToUniversalTime(), Until = body.Until?.ToUniversalTime(), FailedOnly = body.FailedOnly ?? false };
            var started = await replays.StartAsync(use.Viewer, endpointId, form, http.RequestAborted);
            return TypedResults.Accepted($"{ManagementApi.Prefix}/webhooks/replays/{started.Id}", ReplayItem.From(started));
        });

    private static Task<IResult> GetReplayAsync(HttpContext http, Guid replayId, WebhookReplayService replays) =>
        ManagementApi.AsTokenAsync(http, async use => TypedResults.Ok(ReplayItem.From(await replays.GetAsync(use.Viewer, replayId))));

    private static Task<IResult> CancelReplayAsync(HttpContext http, Guid replayId, WebhookReplayService replays) =>
        ManagementApi.AsTokenAsync(http, async use => TypedResults.Ok(ReplayItem.From(await replays.CancelAsync(use.Viewer, replayId))));
}
