using System.Text.Json;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Api;
using Microsoft.AspNetCore.Http.Features;

namespace ControlPanel.Web.Webhooks;

/// <summary>The platform's door for chat_ended and offline_message: authenticated with an application's key pair.</summary>
public static class WebhookApi
{
    public const string EventsPath = "/api/v1/webhooks/events";
    private const long MaxBodyBytes = 256 * 1024;

    public static void MapWebhookApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(EventsPath, ReceiveEventAsync).DisableAntiforgery();

    private static async Task<IResult> ReceiveEventAsync(HttpContext context, PlatformEventIntake intake, CheckRequestReader reader)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        // A body that is not JSON reaches the intake as "undefined", so keys are still checked first.
        JsonElement body = default;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException) { }
        catch (BadHttpRequestException)
        {
            var tooLarge = PlatformEventIntake.DataNotValid($"The body is larger than {MaxBodyBytes / 1024} KB.");
            return Results.Json(tooLarge.Error, statusCode: tooLarge.HttpStatus);
        }

        var result = await intake.AcceptAsync(reader.Read(context), body, context.RequestAborted);
        return result.Error is { } error
            ? Results.Json(error, statusCode: result.HttpStatus)
            : Results.Json(new { event_id = result.EventId }, statusCode: StatusCodes.Status202Accepted);
    }
}
