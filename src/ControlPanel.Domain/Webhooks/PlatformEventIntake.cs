using System.Text.Json;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Requests;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Takes the platform's chat_ended and offline_message events for an application, authenticated
/// with that application's key pair through the same request check as every API call (keys,
/// status, origin, rate limit, quota), and puts them in the outbox for the account's endpoints.
/// </summary>
public sealed class PlatformEventIntake(IDbContextFactory<ControlPanelDbContext> databases, RequestCheck check, TimeProvider clock)
{
    /// <summary>Either the stored event's id (HTTP 202) or an error body with its HTTP status.</summary>
    public sealed record Result(int HttpStatus, Guid? EventId, ApiErrorBody? Error)
    {
        public static Result Accepted(Guid eventId) => new(202, eventId, null);
        public static Result Refused(int httpStatus, ApiError error, string extraInfo) => new(httpStatus, null, ApiErrorBody.For(error, extraInfo));
    }

    public async Task<Result> AcceptAsync(CheckRequest request, JsonElement body, CancellationToken cancellationToken = default)
    {
        var decision = await check.CheckAsync(request);
        if (decision.Error is { } error) return Result.Refused(error.RefusalStatus, error, decision.ExtraInfo);
        var caller = decision.Application!;

        if (body.ValueKind != JsonValueKind.Object)
            return DataNotValid("The body must be a JSON object: {\"event_name\": ..., \"data\": {...}}.");
        if (!body.TryGetProperty("event_name", out var name) || name.ValueKind != JsonValueKind.String || !WebhookEvents.FromPlatform.Contains(name.GetString()))
            return DataNotValid($"event_name must be one of: {string.Join(", ", WebhookEvents.FromPlatform)}.");
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return DataNotValid("data must be a JSON object.");

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var stored = WebhookOutbox.Enqueue(db, caller.AccountId, caller.Id, name.GetString()!, data, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Accepted(stored.Id);
    }

    /// <summary>An invalid event is refused with HTTP 400 and error 117, the seed's body for bad input.</summary>
    public static Result DataNotValid(string extraInfo) => Result.Refused(400, ErrorCatalogue.DataNotValid, extraInfo);
}
