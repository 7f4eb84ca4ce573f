using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Api;

/// <summary>The platform's door for chat_ended and offline_message: authenticated with an application's key pair.</summary>
public static class WebhookApi
{
    public const string EventsPath = "/api/v1/webhooks/events";

    public static void MapWebhookApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(EventsPath, ReceiveEventAsync).DisableAntiforgery()
            .WithTags("Webhooks")
            .WithName("ReceivePlatformEvent")
            .WithSummary("The platform posts chat_ended or offline_message for an application, with that application's keys")
            .WithDescription("Keys as the check takes them, checked (and counted) before the body is read. 202 with event_id when the event is stored for the account's webhook endpoints; 202 with event_id null and info \"no subscriber\" when no enabled endpoint subscribes to it, so nothing is stored. 400 (117) for a body that is not {\"event_name\", \"data\": {...}} or is larger than Webhooks:MaxEventBodyBytes; the check's refusals otherwise. Every answer carries X-RateLimit-*.")
            .Accepts<PlatformEvent>("application/json")
            .Produces<EventAccepted>(StatusCodes.Status202Accepted)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> ReceiveEventAsync(HttpContext context, PlatformEventIntake intake, CheckRequestReader reader, IOptions<WebhookOptions> options)
    {
        // The intake reads the body through the same BoundedBody rule, after the keys pass; this tells Kestrel the limit too.
        ApiBody.Limit(context, options.Value.MaxEventBodyBytes);
        // The intake checks the keys before it reads the body.
        var result = await intake.AcceptAsync(reader.Read(context), context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        // Like every checked call: the window the call was counted in, on acceptances and refusals alike (429 included).
        if (result.RateLimit is { } rate) DecisionResponses.WriteRateLimitHeaders(context.Response, rate);
        if (result.Error is { } error) return new ApiRefusal(result.HttpStatus, error);
        return TypedResults.Json(new EventAccepted(result.EventId, result.Info), ApiJson.Default.EventAccepted, statusCode: StatusCodes.Status202Accepted);
    }
}
