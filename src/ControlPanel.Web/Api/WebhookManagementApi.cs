using System.Text.Json;
using ControlPanel.Domain.Webhooks;
using static ControlPanel.Web.Api.ManagementApi;

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
/// Webhooks under /api/v1/manage/webhooks, in the group <see cref="ManagementApi"/> authenticates: endpoints, deliveries,
/// replays and the event catalogue, through the domain's webhook services as the Webhooks pages do.
/// </summary>
public static class WebhookManagementApi
{
    public static RouteGroupBuilder MapWebhookManagementApi(this RouteGroupBuilder manage)
    {
        var webhooks = manage.MapGroup("/webhooks");
        webhooks.MapGet("/endpoints", ListEndpointsAsync).Named("ListWebhookEndpoints", "The account's webhook endpoints (staff tokens: every account's, or accountId's)")
            .Answers<WebhookEndpointItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.Endpoint });
        webhooks.MapPost("/endpoints", CreateEndpointAsync).Named("CreateWebhookEndpoint", "Add an endpoint; its signing secret is answered this once")
            .Answers<CreatedWebhookEndpoint>(StatusCodes.Status201Created, write: true).Example(ManagementExamples.EndpointRequest, new CreatedWebhookEndpoint(ManagementExamples.Endpoint, "whsec_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"));
        webhooks.MapGet("/endpoints/{endpointId:guid}", GetEndpointAsync).Named("GetWebhookEndpoint", "One endpoint")
            .Answers<WebhookEndpointItem>(StatusCodes.Status200OK).Example(null, ManagementExamples.Endpoint);
        webhooks.MapPatch("/endpoints/{endpointId:guid}", UpdateEndpointAsync).Named("UpdateWebhookEndpoint", "Change the URL, description, events or enabled flag (fields left out stay as they are)")
            .Answers<WebhookEndpointItem>(StatusCodes.Status200OK, write: true).Example(new WebhookEndpointRequest(null, "Billing hooks"), ManagementExamples.Endpoint);
        webhooks.MapDelete("/endpoints/{endpointId:guid}", DeleteEndpointAsync)
            .Named("DeleteWebhookEndpoint", "Delete a webhook endpoint: nothing is sent to it again and its waiting deliveries end as failed; its deliveries stay in the log")
            .Answers(StatusCodes.Status204NoContent, write: true);
        webhooks.MapPost("/endpoints/{endpointId:guid}/disable", DisableEndpointAsync).Named("DisableWebhookEndpoint", "Stop deliveries to the endpoint")
            .Answers<WebhookEndpointItem>(StatusCodes.Status200OK, write: true).Example(null, ManagementExamples.Endpoint with { IsEnabled = false });
        webhooks.MapPost("/endpoints/{endpointId:guid}/test", SendTestEventAsync).Named("SendWebhookTestEvent", "Queue a webhook_test event for this endpoint")
            .Answers<TestEventQueued>(StatusCodes.Status202Accepted, write: true).Example(null, new TestEventQueued(ManagementExamples.DeliveryId));
        webhooks.MapGet("/deliveries", ListDeliveriesAsync)
            .Named("ListWebhookDeliveries", "Deliveries, newest first (accountId for staff tokens, endpointId, event, status Pending/Delivered/Retrying/Failed, skip, take up to 500)")
            .Answers<DeliveryPage>(StatusCodes.Status200OK).Example(null, ManagementExamples.Deliveries);
        webhooks.MapPost("/deliveries/{deliveryId:guid}/resend", ResendDeliveryAsync).Named("ResendWebhookDelivery", "Attempt a delivery again now")
            .Answers(StatusCodes.Status202Accepted, write: true);
        manage.MapGet("/event-types", ListEventTypesAsync).Named("ListEventTypes", "Every webhook event type with its data's JSON Schema (draft 2020-12), an example and its version")
            .Answers<EventTypeItem[]>(StatusCodes.Status200OK).Example(null, new[] { EventTypeItem.From(EventTypes.BuiltIn[0]) });
        webhooks.MapPost("/endpoints/{endpointId:guid}/replays", StartReplayAsync)
            .Named("ReplayWebhookEvents", "Send the endpoint's events since a time (and before until) again, all or failed only, with their original webhook-id, at its throttle")
            .Answers<ReplayItem>(StatusCodes.Status202Accepted, write: true).Example(new ReplayRequest(Example.Since, null, true), Example);
        webhooks.MapGet("/replays/{replayId:guid}", GetReplayAsync).Named("GetWebhookReplay", "A replay's progress")
            .Answers<ReplayItem>(StatusCodes.Status200OK).Example(null, Example);
        webhooks.MapPost("/replays/{replayId:guid}/cancel", CancelReplayAsync).Named("CancelWebhookReplay", "Stop a replay: what it has not sent yet is handed back")
            .Answers<ReplayItem>(StatusCodes.Status200OK, write: true).Example(null, Example with { IsRunning = false, CancelledAt = new DateTime(2026, 12, 7, 14, 5, 0, DateTimeKind.Utc) });
        return manage;
    }

    private static Task<IResult> ListEndpointsAsync(HttpContext http, WebhookEndpointService endpoints, string? accountId) =>
        AsTokenAsync(http, async use => !QueryText.TryParseId(accountId, out var account) ? Invalid("accountId is not an account's id.") :
            TypedResults.Ok((await endpoints.ListAsync(use.Viewer, account)).Select(WebhookEndpointItem.From).ToArray()));

    private static Task<IResult> GetEndpointAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use => TypedResults.Ok(WebhookEndpointItem.From(await endpoints.GetAsync(use.Viewer, endpointId))));

    private static Task<IResult> CreateEndpointAsync(HttpContext http, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.WebhookEndpointRequest);
            if (body is null) return Invalid("Send a JSON object: {\"url\", \"description\"?, \"events\": [...], \"isEnabled\"?}.");
            var form = new WebhookEndpointService.Form { AccountId = body.AccountId };
            ApplyEndpoint(body, form);
            var issued = await endpoints.CreateAsync(use.Viewer, form, http.RequestAborted);
            var created = await endpoints.GetAsync(use.Viewer, issued.EndpointId);
            return TypedResults.Created($"{Prefix}/webhooks/endpoints/{issued.EndpointId}", new CreatedWebhookEndpoint(WebhookEndpointItem.From(created), issued.Secret));
        });

    private static Task<IResult> UpdateEndpointAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.WebhookEndpointRequest);
            if (body is null) return Invalid("Send a JSON object with the fields to change: {\"url\"?, \"description\"?, \"events\"?, \"isEnabled\"?}.");
            var form = WebhookEndpointService.Form.From(await endpoints.GetAsync(use.Viewer, endpointId));
            ApplyEndpoint(body, form);
            return TypedResults.Ok(WebhookEndpointItem.From(await endpoints.UpdateAsync(use.Viewer, endpointId, form, http.RequestAborted)));
        });

    private static void ApplyEndpoint(WebhookEndpointRequest body, WebhookEndpointService.Form form)
    {
        if (body.Url is not null) form.Url = body.Url;
        if (body.Description is not null) form.Description = body.Description;
        if (body.Events is not null) form.Events = [.. body.Events.Where(e => e is not null)];
        if (body.IsEnabled is { } enabled) form.IsEnabled = enabled;
    }

    private static Task<IResult> DisableEndpointAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use =>
        {
            await endpoints.DisableAsync(use.Viewer, endpointId);
            return TypedResults.Ok(WebhookEndpointItem.From(await endpoints.GetAsync(use.Viewer, endpointId)));
        });

    private static Task<IResult> SendTestEventAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use => TypedResults.Accepted((string?)null, new TestEventQueued(await endpoints.SendTestAsync(use.Viewer, endpointId))));

    private static Task<IResult> ListDeliveriesAsync(HttpContext http, WebhookDeliveryLog log,
        string? accountId, string? endpointId, string? @event, string? status, string? skip, string? take) =>
        AsTokenAsync(http, async use =>
        {
            if (!QueryText.TryParseId(accountId, out var account)) return Invalid("accountId is not an account's id.");
            if (!QueryText.TryParseId(endpointId, out var endpoint)) return Invalid("endpointId is not an endpoint's id.");
            WebhookDeliveryStatus? chosen = null;
            if (!string.IsNullOrEmpty(status))
            {
                if (!TryParse<WebhookDeliveryStatus>(status, out var parsed)) return Invalid($"status must be one of {Choices<WebhookDeliveryStatus>()}.");
                chosen = parsed;
            }
            var from = 0;
            var count = 25;
            if (!string.IsNullOrEmpty(skip) && (!int.TryParse(skip, out from) || from < 0)) return Invalid("skip must be a whole number, 0 or more.");
            if (!string.IsNullOrEmpty(take) && (!int.TryParse(take, out count) || count is < 1 or > 500)) return Invalid("take must be 1 to 500.");
            var page = await log.SearchAsync(use.Viewer, new WebhookDeliveryLog.Filter(AccountId: account, EndpointId: endpoint, EventName: @event, Status: chosen, Skip: from, Take: count));
            return TypedResults.Ok(new DeliveryPage(page.Rows.Select(DeliveryItem.From).ToList(), page.Total));
        });

    private static Task<IResult> ResendDeliveryAsync(HttpContext http, Guid deliveryId, WebhookDeliveryLog log) =>
        AsTokenAsync(http, async use =>
        {
            await log.ResendAsync(use.Viewer, deliveryId);
            return TypedResults.Accepted((string?)null);
        });

    private static readonly ReplayItem Example = new(ManagementExamples.DeliveryId, ManagementExamples.Endpoint.Id,
        new DateTime(2026, 12, 1, 14, 0, 0, DateTimeKind.Utc), null, true, 120, 45, 0, true, new DateTime(2026, 12, 7, 14, 0, 0, DateTimeKind.Utc), "Olivia Owner", null);

    private static Task<IResult> ListEventTypesAsync(HttpContext http, EventCatalogue catalogue) =>
        AsTokenAsync(http, async _ => TypedResults.Ok((await catalogue.ListAsync(http.RequestAborted)).Select(EventTypeItem.From).ToArray()));

    private static Task<IResult> StartReplayAsync(HttpContext http, Guid endpointId, WebhookReplayService replays) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.ReplayRequest);
            if (body is null) return Invalid("Send a JSON object: {\"since\": \"2026-12-01T14:00:00Z\", \"until\"?, \"failedOnly\"?}.");
            var form = new WebhookReplayService.Form { Since = body.Since?.ToUniversalTime(), Until = body.Until?.ToUniversalTime(), FailedOnly = body.FailedOnly ?? false };
            var started = await replays.StartAsync(use.Viewer, endpointId, form, http.RequestAborted);
            return TypedResults.Accepted($"{Prefix}/webhooks/replays/{started.Id}", ReplayItem.From(started));
        });

    private static Task<IResult> GetReplayAsync(HttpContext http, Guid replayId, WebhookReplayService replays) =>
        AsTokenAsync(http, async use => TypedResults.Ok(ReplayItem.From(await replays.GetAsync(use.Viewer, replayId))));

    private static Task<IResult> CancelReplayAsync(HttpContext http, Guid replayId, WebhookReplayService replays) =>
        AsTokenAsync(http, async use => TypedResults.Ok(ReplayItem.From(await replays.CancelAsync(use.Viewer, replayId))));

    private static Task<IResult> DeleteEndpointAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use =>
        {
            await endpoints.DeleteAsync(use.Viewer, endpointId);
            return TypedResults.NoContent();
        });
}
