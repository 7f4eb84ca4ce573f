using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Requests;

/// <summary>
/// The one check every API call goes through, in a straight line:
/// HTTPS → credentials → key pair → account and application status → origin → rate limit →
/// monthly quota → decision → usage meter. Everything it reads is in memory (changes arrive through
/// the <c>ChangeFeed</c> reloads); the database is reached only to lease the next block of a limit
/// shared by several instances, or to look up a session another instance opened.
/// </summary>
public sealed class RequestCheck(
    KeyIndex keys,
    ApplicationDirectory applications,
    SessionStore sessions,
    RateLimiter limiter,
    QuotaLedger quotas,
    UsageMeter usage,
    IOptions<ApiOptions> options,
    TimeProvider clock)
{
    private readonly bool _requireHttps = options.Value.RequireHttps;

    /// <summary>101's <c>extraInfo</c>: what a caller over plain HTTP does about it.</summary>
    public const string NotUsingHttpsAdvice =
        "Call over HTTPS. Behind a gateway or load balancer that ends TLS, it must send X-Forwarded-Proto: https and its address must be in Api:TrustedProxies.";

    /// <summary>Calls not made over HTTPS are refused with 101 (Api:RequireHttps).</summary>
    public bool RequiresHttps => _requireHttps;

    /// <summary>Checks one call. Completes at once unless a limit's block must be leased or a session opened elsewhere looked up.</summary>
    public async ValueTask<Decision> CheckAsync(CheckRequest request)
    {
        var now = clock.GetUtcNow();
        var decision = await DecideAsync(request, now);
        var at = now.UtcDateTime;
        usage.Record(decision.ApplicationId, decision.KeyPairId, decision.Environment, decision.Error?.Code ?? 0, request.Counted, at);
        if (decision.KeyPairId is { } keyPairId) keys.RecordUse(keyPairId, at);
        return decision;
    }

    private async ValueTask<Decision> DecideAsync(CheckRequest request, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        if (_requireHttps && !request.IsHttps) return Refuse(ErrorCatalogue.NotUsingHttps, now);

        // Credentials: a Bearer session, or the key pair, or both (then they must agree).
        LiveSession? session = null;
        if (request.SessionToken is { } token)
        {
            if (token.Length == 0) return Refuse(ErrorCatalogue.NoTokenOrSession, now, "The Authorization header has no Bearer token.");
            (var lookup, session) = await sessions.FindAsync(token, utc);
            switch (lookup)
            {
                case SessionLookup.Unknown: return Refuse(ErrorCatalogue.InvalidToken, now, "The session token is not recognised.");
                case SessionLookup.Expired: return Refuse(ErrorCatalogue.TokenExpired, now, "The session expired 2 hours after it was created; open a new one.");
            }
        }
        else if (request.SessionRequired)
        {
            return Refuse(ErrorCatalogue.NoTokenOrSession, now, "This resource needs a session: send Authorization: Bearer <token>.");
        }
        if (request.MalformedCredentials) return Refuse(ErrorCatalogue.InvalidHeaders, now);

        KeyIndex.Match? pair;
        var keysSent = !string.IsNullOrEmpty(request.ApplicationKey) || !string.IsNullOrEmpty(request.ConsumerKey);
        if (session is null || keysSent)
        {
            if (string.IsNullOrEmpty(request.ApplicationKey)) return Refuse(ErrorCatalogue.MissingApplicationKey, now);
            if (string.IsNullOrEmpty(request.ConsumerKey)) return Refuse(ErrorCatalogue.MissingConsumerKey, now);
            if (!ApiKey.IsWellFormed(request.ApplicationKey) || !ApiKey.IsWellFormed(request.ConsumerKey))
                return Refuse(ErrorCatalogue.InvalidHeaders, now, "APPLICATIONKEY and CONSUMERKEY are 32 hexadecimal characters each.");
            // Which key was wrong is not said: that would help guessing.
            pair = keys.Find(request.ApplicationKey, request.ConsumerKey, utc);
            if (pair is null) return Refuse(ErrorCatalogue.NotAuthorised, now);
            if (session is not null && session.KeyPairId != pair.KeyPairId)
                return Refuse(ErrorCatalogue.InvalidToken, now, "The session token belongs to other keys.");
        }
        else
        {
            // A session lives only as long as the key pair that opened it.
            pair = keys.FindById(session.KeyPairId, utc);
            if (pair is null) return Refuse(ErrorCatalogue.NotAuthorised, now);
        }

        var application = applications.Find(pair.ApplicationId);
        if (application is null) return Refuse(ErrorCatalogue.NotAuthorised, now);

        // From here on the limit headers report this caller's own partition.
        var (partition, limit) = session is null
            ? (application.PartitionFor(ClientAddressGroup.Of(request.ClientIp)), application.ApplicationRateLimit)
            : (session.RateLimitPartition, application.PerUserRateLimit);

        ApiError? refusal = null;
        string extraInfo = "";
        if (application.AccountLocked) (refusal, extraInfo) = (ErrorCatalogue.AccountLocked, "The account is locked; contact support.");
        else if (!application.IsOnline) (refusal, extraInfo) = (ErrorCatalogue.ApplicationOffline, "The application is offline.");
        else if (!application.Origins.Allows(request.ClientIp, request.Origin))
            (refusal, extraInfo) = (ErrorCatalogue.BadOriginIp, application.Origins.IsUnreadable
                ? "The application's allowlist has a line that can no longer be read; its owner must correct it."
                : "The caller's origin or IP address is not in the application's allowlist.");
        if (refusal is not null)
            return new Decision(refusal, extraInfo, application, pair.KeyPairId, session, limiter.Peek(partition, limit, now), quotas.Peek(application, utc));

        var rate = await limiter.TryAcquireAsync(partition, limit, now);
        if (!rate.Allowed)
            return new Decision(ErrorCatalogue.RateLimitExceeded, RateLimitTable.ExceededMessage(limit), application, pair.KeyPairId, session, rate, quotas.Peek(application, utc));

        QuotaState quota;
        if (request.Counted)
        {
            (var counted, quota) = await quotas.TryCountAsync(application, utc);
            if (!counted)
                return new Decision(ErrorCatalogue.QuotaExceeded, QuotaExceededMessage(quota), application, pair.KeyPairId, session, rate, quota);
        }
        else
        {
            quota = quotas.Peek(application, utc);
        }
        return new Decision(null, "", application, pair.KeyPairId, session, rate, quota);
    }

    /// <summary>Refused before the application is known: nothing is counted, and the headers report an untouched application-only window.</summary>
    private static Decision Refuse(ApiError error, DateTimeOffset now, string extraInfo = "")
    {
        var limit = RateLimitTable.ApplicationOnly(ApplicationEnvironment.Development);
        var windowEnd = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % RateLimitTable.Window.Ticks) + RateLimitTable.Window.Ticks, TimeSpan.Zero);
        return new Decision(error, extraInfo, null, null, null, new RateLimitDecision(true, limit, limit, windowEnd), null);
    }

    private static string QuotaExceededMessage(QuotaState quota) =>
        $"The monthly quota of {quota.Quota} calls{(quota.OverrunAllowance > 0 ? $" and the overrun allowance of {quota.OverrunAllowance}" : "")} is used up. It resets on {quota.ResetsAt:yyyy-MM-dd} at 00:00 UTC.";
}
