using System.Text.Json;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Keys;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Takes the platform's chat_ended and offline_message events for an application, authenticated
/// with that application's key pair, and puts them in the outbox for the account's endpoints.
/// </summary>
public sealed class PlatformEventIntake(IDbContextFactory<ControlPanelDbContext> databases, KeyIndex keys, TimeProvider clock)
{
    /// <summary>Either the stored event's id (HTTP 202) or an error body with its HTTP status.</summary>
    public sealed record Result(int HttpStatus, Guid? EventId, ApiErrorBody? Error)
    {
        public static Result Accepted(Guid eventId) => new(202, eventId, null);
        public static Result Refused(int httpStatus, ApiError error, string extraInfo) => new(httpStatus, null, ApiErrorBody.For(error, extraInfo));
    }

    private sealed record Caller(Guid AccountId, Guid ApplicationId);

    public async Task<Result> AcceptAsync(string? applicationKey, string? consumerKey, JsonElement body, CancellationToken cancellationToken = default)
    {
        var (caller, refusal) = await AuthenticateAsync(applicationKey, consumerKey, cancellationToken);
        if (caller is null) return refusal!;

        if (body.ValueKind != JsonValueKind.Object)
            return DataNotValid("The body must be a JSON object: {\"event_name\": ..., \"data\": {...}}.");
        if (!body.TryGetProperty("event_name", out var name) || name.ValueKind != JsonValueKind.String || !WebhookEvents.FromPlatform.Contains(name.GetString()))
            return DataNotValid($"event_name must be one of: {string.Join(", ", WebhookEvents.FromPlatform)}.");
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return DataNotValid("data must be a JSON object.");

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var stored = WebhookOutbox.Enqueue(db, caller.AccountId, caller.ApplicationId, name.GetString()!, data, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Accepted(stored.Id);
    }

    /// <summary>An invalid event is refused with HTTP 400 and error 117, the seed's body for bad input.</summary>
    public static Result DataNotValid(string extraInfo) => Result.Refused(400, ErrorCatalogue.DataNotValid, extraInfo);

    /// <summary>
    /// Who is posting. THE ONE PLACE to switch to the key-validation API's RequestCheck when it is
    /// merged (origin, rate limit and quota rules then apply too); until then: the key headers, the
    /// in-memory key index, and the application's online and account-lock status.
    /// </summary>
    private async Task<(Caller? Caller, Result? Refusal)> AuthenticateAsync(string? applicationKey, string? consumerKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(applicationKey)) return (null, Result.Refused(401, ErrorCatalogue.MissingApplicationKey, "Send the APPLICATIONKEY header."));
        if (string.IsNullOrEmpty(consumerKey)) return (null, Result.Refused(401, ErrorCatalogue.MissingConsumerKey, "Send the CONSUMERKEY header."));
        if (!ApiKey.IsWellFormed(applicationKey) || !ApiKey.IsWellFormed(consumerKey))
            return (null, Result.Refused(ErrorCatalogue.InvalidHeaders.HttpStatus, ErrorCatalogue.InvalidHeaders, "Keys are 32 hexadecimal characters."));
        var match = keys.Find(applicationKey, consumerKey, clock.GetUtcNow().UtcDateTime);
        if (match is null) return (null, Result.Refused(ErrorCatalogue.NotAuthorised.HttpStatus, ErrorCatalogue.NotAuthorised, "The key pair is not recognised."));

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var application = await db.Applications.AsNoTracking().Where(a => a.Id == match.ApplicationId)
            .Select(a => new { a.AccountId, a.IsOnline, AccountLocked = a.Account!.IsLocked }).SingleOrDefaultAsync(cancellationToken);
        if (application is null) return (null, Result.Refused(ErrorCatalogue.NotAuthorised.HttpStatus, ErrorCatalogue.NotAuthorised, "The key pair is not recognised."));
        if (application.AccountLocked) return (null, Result.Refused(ErrorCatalogue.AccountLocked.HttpStatus, ErrorCatalogue.AccountLocked, ""));
        if (!application.IsOnline) return (null, Result.Refused(ErrorCatalogue.ApplicationOffline.HttpStatus, ErrorCatalogue.ApplicationOffline, ""));
        keys.RecordUse(match.KeyPairId, clock.GetUtcNow().UtcDateTime);
        return (new Caller(application.AccountId, match.ApplicationId), null);
    }
}
