using ControlPanel.Domain.Webhooks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Api;

/// <summary>The platform's door for chat_ended and offline_message: authenticated with an application's key pair.</summary>
public static class WebhookApi
{
    public const string EventsPath = "/api/v1/webhooks/events";

    public static void MapWebhookApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(EventsPath, ReceiveEventAsync).DisableAntiforgery();

    private static async Task<IResult> ReceiveEventAsync(HttpContext context, PlatformEventIntake intake, CheckRequestReader reader, IOptions<WebhookOptions> options)
    {
        // The intake reads no more than the limit itself; this makes Kestrel close the connection rather than drain a huge unread body.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = options.Value.MaxEventBodyBytes + 1L;
        // The intake checks the keys before it reads the body.
        var result = await intake.AcceptAsync(reader.Read(context), context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        // Like every checked call: the window the call was counted in, on acceptances and refusals alike (429 included).
        if (result.RateLimit is { } rate) DecisionResponses.WriteRateLimitHeaders(context.Response, rate);
        if (result.Error is { } error) return Results.Json(error, statusCode: result.HttpStatus);
        return result.EventId is { } eventId
            ? Results.Json(new { event_id = eventId }, statusCode: StatusCodes.Status202Accepted)
            : Results.Json(new { event_id = (Guid?)null, info = result.Info }, statusCode: StatusCodes.Status202Accepted);
    }
}
