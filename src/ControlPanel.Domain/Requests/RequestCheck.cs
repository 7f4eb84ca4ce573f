using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Monitoring;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Requests;

/// <summary>
/// The one check every API call goes through, in a straight line:
/// HTTPS → credentials → key pair → account and application status → origin → resource → rate limit
/// (per resource) → monthly quota → decision → usage meter. Everything it reads is in memory (changes arrive through
/// the <c>ChangeFeed</c> reloads); the database is reached only to lease the next block of a limit
/// shared by several instances, or to look up a session another instance opened.
/// </summary>
public sealed class RequestCheck(
    KeyIndex keys,
    ApplicationDirectory applications,
    SessionStore sessions,
    ResourceCatalogue resources,
    RateLimiter limiter,
    RefusedCalls refusedCalls,
    QuotaLedger quotas,
    UsageMeter usage,
    SessionActivityMeter sessionActivity,
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
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var resource = request.SessionManagement ? RouteTable.SessionManagement : resources.Match(request.Method, request.Path);
        var decision = await DecideAsync(request, resource, now);
        ControlPanelMetrics.RecordDecision(decision.Error?.Code ?? 0, decision.Environment, clock.GetElapsedTime(started));
        var at = now.UtcDateTime;
        var outcome = decision.Error?.Code ?? 0;
        var metered = decision.MeteredApplication;
        usage.Record(metered?.Id, decision.MeteredKeyPairId, metered?.Environment, outcome, IsCounted(request, decision.Resource), at, decision.Resource.Id);
        if (decision.Session is { } session) sessionActivity.Record(session.Id, decision.Resource.Id, outcome, at);
        if (decision.KeyPairId is { } keyPairId) keys.RecordUse(keyPairId, at);
        return decision;
    }

    /// <summary>
    /// Takes back an allowed call that never reached its resource (the gateway's upstream was down or timed out):
    /// the quota gets the call back when it was counted, and usage shows it under <paramref name="fault"/>, uncounted.
    /// <paramref name="checkedAt"/> is when the call was checked (so it leaves the minute and month it was counted in).
    /// </summary>
    public async Task RefundAsync(Decision decision, CheckRequest request, DateTimeOffset checkedAt, ApiError fault)
    {
        if (!decision.Allowed || decision.Application is not { } application) return;
        var at = checkedAt.UtcDateTime;
        var counted = IsCounted(request, decision.Resource);
        if (counted) await quotas.RefundAsync(application, at);
        usage.Reclassify(application.Id, decision.KeyPairId ?? Guid.Empty, application.Environment, 0, counted, fault.Code, false, at, decision.Resource.Id);
        if (decision.Session is { } session) sessionActivity.Reclassify(session.Id, decision.Resource.Id, 0, fault.Code, at);
    }

    private async ValueTask<Decision> DecideAsync(CheckRequest request, ResourceRule resource, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var address = ClientAddressGroup.Of(request.ClientIp);

        // An address whose refused calls used up their window is refused before its keys are even looked at.
        if (refusedCalls.Blocked(address, now) is { } blocked)
            return new Decision(ErrorCatalogue.RateLimitExceeded, refusedCalls.Message, null, null, null, blocked, null, resource);

        // The keys, when sent, are looked up first: every refusal of a call whose keys are valid (even over
        // plain HTTP or with a bad token) belongs to that application, in its usage and its limit headers.
        KeyIndex.Match? pair = null, applicationKeyOwner = null;
        var keysSent = !string.IsNullOrEmpty(request.ApplicationKey) || !string.IsNullOrEmpty(request.ConsumerKey);
        if (keysSent && !request.MalformedCredentials
            && ApiKey.IsWellFormed(request.ApplicationKey) && ApiKey.IsWellFormed(request.ConsumerKey))
            pair = keys.Find(request.ApplicationKey, request.ConsumerKey, utc, out applicationKeyOwner);
        var application = pair is null ? null : applications.Find(pair.ApplicationId);

        ValueTask<Decision> Refuse(ApiError error, string extraInfo = "", LiveSession? session = null) => application is null
            ? RefuseUnknownAsync(error, extraInfo, address, resource, now)
            : ValueTask.FromResult(RefuseKnown(error, extraInfo, application, pair!.KeyPairId, session, address, resource, now));

        if (_requireHttps && !request.IsHttps) return await Refuse(ErrorCatalogue.NotUsingHttps, NotUsingHttpsAdvice);

        // Credentials: a Bearer session, or the key pair, or both (then they must agree).
        LiveSession? session = null;
        if (request.SessionToken is { } token)
        {
            if (token.Length == 0) return await Refuse(ErrorCatalogue.NoTokenOrSession, "The Authorization header has no Bearer token.");
            (var lookup, session) = await sessions.FindAsync(token, utc);
            switch (lookup)
            {
                case SessionLookup.Unknown: return await Refuse(ErrorCatalogue.InvalidToken, "The session token is not recognised.");
                case SessionLookup.Expired:
                    return await Refuse(ErrorCatalogue.TokenExpired, session!.Ended
                    ? "The session was ended by the application's owner; open a new one."
                    : "The session expired 2 hours after it was created; open a new one.");
            }
        }
        else if (request.SessionRequired || resource.SessionRequired)
        {
            return await Refuse(ErrorCatalogue.NoTokenOrSession, "This resource needs a session: send Authorization: Bearer <token>.");
        }
        if (request.MalformedCredentials) return await Refuse(ErrorCatalogue.InvalidHeaders);

        if (session is null || keysSent)
        {
            if (string.IsNullOrEmpty(request.ApplicationKey)) return await Refuse(ErrorCatalogue.MissingApplicationKey);
            if (string.IsNullOrEmpty(request.ConsumerKey)) return await Refuse(ErrorCatalogue.MissingConsumerKey);
            if (!ApiKey.IsWellFormed(request.ApplicationKey) || !ApiKey.IsWellFormed(request.ConsumerKey))
                return await Refuse(ErrorCatalogue.InvalidHeaders, "APPLICATIONKEY and CONSUMERKEY are 32 hexadecimal characters each.");
            // Which key was wrong is not said: that would help guessing. A right application key with a wrong consumer key
            // is still counted in that application's usage (its owner sees the attempts), answered like unknown keys.
            if (application is null) return WithApplicationKeyOwner(await Refuse(ErrorCatalogue.NotAuthorised), applicationKeyOwner);
            if (session is not null && session.KeyPairId != pair!.KeyPairId)
                return await Refuse(ErrorCatalogue.InvalidToken, "The session token belongs to other keys.");
        }
        else
        {
            // A session lives only as long as the key pair that opened it.
            pair = keys.FindById(session.KeyPairId, utc);
            application = pair is null ? null : applications.Find(pair.ApplicationId);
            if (application is null) return await Refuse(ErrorCatalogue.NotAuthorised);
        }

        // From here on the limit headers report this caller's own window of this resource.
        var (partition, limit) = RateWindow(application, session, address, resource);

        ApiError? refusal = null;
        string extraInfo = "";
        if (application.AccountLocked) (refusal, extraInfo) = (ErrorCatalogue.AccountLocked, "The account is locked; contact support.");
        else if (!application.IsOnline) (refusal, extraInfo) = (ErrorCatalogue.ApplicationOffline, "The application is offline.");
        else if (!application.Origins.Allows(request.ClientIp, request.Origin))
            (refusal, extraInfo) = (ErrorCatalogue.BadOriginIp, application.Origins.IsUnreadable
                ? "The application's allowlist has a line that can no longer be read; its owner must correct it."
                : "The caller's origin or IP address is not in the application's allowlist.");
        if (refusal is not null) return RefuseKnown(refusal, extraInfo, application, pair!.KeyPairId, session, address, resource, now);

        var rate = await limiter.TryAcquireAsync(partition, limit, now);
        if (!rate.Allowed)
            return new Decision(ErrorCatalogue.RateLimitExceeded, RateLimitTable.ExceededMessage(limit), application, pair!.KeyPairId, session, rate, quotas.Peek(application, utc), resource);

        QuotaState quota;
        if (IsCounted(request, resource))
        {
            (var counted, quota) = await quotas.TryCountAsync(application, utc);
            if (!counted)
                return new Decision(ErrorCatalogue.QuotaExceeded, QuotaExceededMessage(quota), application, pair!.KeyPairId, session, rate, quota, resource);
        }
        else
        {
            quota = quotas.Peek(application, utc);
        }
        return new Decision(null, "", application, pair!.KeyPairId, session, rate, quota, resource);
    }

    private Decision WithApplicationKeyOwner(Decision refused, KeyIndex.Match? owner) =>
        // Only the 204 itself: past the address's window of refused calls the 158 is the address's, not the application's.
        refused.Error == ErrorCatalogue.NotAuthorised && owner is not null && applications.Find(owner.ApplicationId) is { } application
            ? refused with { ApplicationKeyOwner = application, ApplicationKeyPairId = owner.KeyPairId }
            : refused;

    /// <summary>A call counts towards the quota when its resource counts and the gateway did not exempt it (the older way).</summary>
    private static bool IsCounted(CheckRequest request, ResourceRule resource) => request.Counted && resource.Counted;

    /// <summary>
    /// Refused before any application is known (no keys, unknown keys, bad headers, unknown tokens): the call counts
    /// against its client address's window of refused calls (Api:RefusedCallsPerAddressPerMinute), which is what the
    /// limit headers report; the call that goes over it answers 158 instead.
    /// </summary>
    private async ValueTask<Decision> RefuseUnknownAsync(ApiError error, string extraInfo, string address, ResourceRule resource, DateTimeOffset now)
    {
        var window = await refusedCalls.CountAsync(address, now);
        return window.Allowed
            ? new Decision(error, extraInfo, null, null, null, window, null, resource)
            : new Decision(ErrorCatalogue.RateLimitExceeded, refusedCalls.Message, null, null, null, window, null, resource);
    }

    /// <summary>Refused although the keys are valid (plain HTTP, a bad token): the application's usage counts it, and its headers report the caller's window untouched.</summary>
    private Decision RefuseKnown(ApiError error, string extraInfo, ApplicationState application, Guid keyPairId, LiveSession? session, string address, ResourceRule resource, DateTimeOffset now)
    {
        var (partition, limit) = RateWindow(application, session, address, resource);
        return new Decision(error, extraInfo, application, keyPairId, session, limiter.Peek(partition, limit, now), quotas.Peek(application, now.UtcDateTime), resource);
    }

    /// <summary>
    /// The rate-limit window a caller counts in: the resource's within the application's per client address, or within the
    /// session's per user; each resource has its own windows ("if a method allows for 100 requests per window, then it allows
    /// 100 requests per window per access token").
    /// </summary>
    private static (string Partition, int Limit) RateWindow(ApplicationState application, LiveSession? session, string address, ResourceRule resource) =>
        session is null
            ? (application.PartitionFor(address, resource.PartitionSuffix), resource.LimitFor(application, perUser: false))
            : (string.Concat(session.RateLimitPartition, resource.PartitionSuffix), resource.LimitFor(application, perUser: true));

    private static string QuotaExceededMessage(QuotaState quota) =>
        $"The monthly quota of {quota.Quota} calls{(quota.OverrunAllowance > 0 ? $" and the overrun allowance of {quota.OverrunAllowance}" : "")} is used up. It resets on {quota.ResetsAt:yyyy-MM-dd} at 00:00 UTC.";
}
