using System.Text.Json;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Takes the platform's events (chat_ended, offline_message and those administrators added) for an application, authenticated
/// with that application's key pair through the same request check as every API call (keys,
/// status, origin, rate limit, quota), checks their data against the event type's schema, and puts them in the outbox for the
/// account's endpoints.
/// </summary>
public sealed class PlatformEventIntake(
    IDbContextFactory<ControlPanelDbContext> databases, RequestCheck check, EventCatalogue catalogue, IOptions<WebhookOptions> options, TimeProvider clock)
{
    /// <summary>What the answer says when no enabled endpoint of the account subscribes to the event, so nothing was stored.</summary>
    public const string NoSubscriber = "no subscriber";

    /// <summary>
    /// Either the stored event's id, or (still HTTP 202) <see cref="Info"/> saying nothing was stored,
    /// or an error body with its HTTP status.
    /// </summary>
    public sealed record Result(int HttpStatus, Guid? EventId, ApiErrorBody? Error, string? Info = null)
    {
        /// <summary>The check's rate-limit window for this call, for the X-RateLimit-* headers of every answer (429 included).</summary>
        public Limits.RateLimitDecision? RateLimit { get; init; }

        public static Result Accepted(Guid eventId) => new(202, eventId, null);
        public static Result NotStored(string info) => new(202, null, null, info);
        public static Result Refused(int httpStatus, ApiError error, string extraInfo) => new(httpStatus, null, ApiErrorBody.For(error, extraInfo));
    }

    /// <summary>
    /// Checks the keys before reading a byte of <paramref name="body"/>, so an unauthenticated caller
    /// costs no body read or parse; then reads at most <see cref="WebhookOptions.MaxEventBodyBytes"/>.
    /// <paramref name="declaredLength"/> (Content-Length, when sent) lets a too-large body be refused unread.
    /// </summary>
    public async Task<Result> AcceptAsync(CheckRequest request, Stream body, long? declaredLength, CancellationToken cancellationToken = default)
    {
        var decision = await check.CheckAsync(request);
        var result = decision.Error is { } error
            ? Result.Refused(error.RefusalStatus, error, decision.ExtraInfo)
            : await ReadAndStoreAsync(decision.Application!, body, declaredLength, cancellationToken);
        return result with { RateLimit = decision.RateLimit };
    }

    private async Task<Result> ReadAndStoreAsync(Applications.ApplicationState caller, Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxEventBodyBytes;
        string eventName;
        JsonElement data;
        var platformEvents = await catalogue.FromPlatformAsync(cancellationToken);
        using (var read = await BoundedBody.ReadAsync(body, declaredLength, max, cancellationToken))
        {
            if (read is null) return TooLarge(max);
            try
            {
                using var document = JsonDocument.Parse(read.Bytes);
                if (Validate(document.RootElement, platformEvents, out eventName, out data) is { } invalid) return invalid;
                data = data.Clone();
            }
            catch (JsonException) { return NotAnObject(); }
        }
        if (await catalogue.FindAsync(eventName, cancellationToken) is { } type && catalogue.FirstViolation(type, data) is { } violation)
            return DataNotValid(violation);

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // An event nobody would receive is not stored: otherwise any key pair could fill the outbox for nothing.
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.AccountId == caller.AccountId && e.IsEnabled).ToListAsync(cancellationToken);
        if (!endpoints.Any(e => e.Subscribes(eventName))) return Result.NotStored(NoSubscriber);

        var stored = WebhookOutbox.Add(db, caller.AccountId, caller.Id, eventName, data, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Accepted(stored.Id);
    }

    private static Result? Validate(JsonElement body, IReadOnlyList<string> platformEvents, out string eventName, out JsonElement data)
    {
        eventName = "";
        data = default;
        if (body.ValueKind != JsonValueKind.Object) return NotAnObject();
        if (!body.TryGetProperty("event_name", out var name) || name.ValueKind != JsonValueKind.String || !platformEvents.Contains(name.GetString()))
            return DataNotValid($"event_name must be one of: {string.Join(", ", platformEvents)}.");
        if (!body.TryGetProperty("data", out data) || data.ValueKind != JsonValueKind.Object)
            return DataNotValid("data must be a JSON object.");
        eventName = name.GetString()!;
        return null;
    }

    private static Result NotAnObject() => DataNotValid("The body must be a JSON object: {\"event_name\": ..., \"data\": {...}}.");

    private static Result TooLarge(int max) => DataNotValid($"The body is larger than {max} bytes.");

    /// <summary>An invalid event is refused with HTTP 400 and error 117, the seed's body for bad input.</summary>
    public static Result DataNotValid(string extraInfo) => Result.Refused(400, ErrorCatalogue.DataNotValid, extraInfo);
}
