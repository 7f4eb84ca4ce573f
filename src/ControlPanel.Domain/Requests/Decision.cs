using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Resources;

namespace ControlPanel.Domain.Requests;

/// <summary>The answer of <see cref="RequestCheck"/>: allowed, or the error to answer, with the limit and quota state.</summary>
/// <param name="Error">Null when the call may proceed.</param>
/// <param name="ExtraInfo">The error body's <c>extraInfo</c>; empty when allowed.</param>
/// <param name="Application">The application the keys belong to; null when they matched none.</param>
/// <param name="KeyPairId">The key pair presented (or the one behind the session).</param>
/// <param name="Session">The Bearer session, when one was used and is live.</param>
/// <param name="RateLimit">The rate-limit state to report in X-RateLimit-* (counted when the call reached the limiter).</param>
/// <param name="Quota">The monthly quota state, once the application is known.</param>
/// <param name="Resource">The resource the call is, from its method and path (the default when it named none).</param>
public sealed record Decision(
    ApiError? Error,
    string ExtraInfo,
    ApplicationState? Application,
    Guid? KeyPairId,
    Sessions.LiveSession? Session,
    RateLimitDecision RateLimit,
    QuotaState? Quota,
    ResourceRule Resource)
{
    public bool Allowed => Error is null;
    public Guid? ApplicationId => Application?.Id;
    public ApplicationEnvironment? Environment => Application?.Environment;

    /// <summary>
    /// Refused as bad keys although the application key is one of this application's live keys (the consumer key was wrong):
    /// its owner's usage counts the call, while the answer stays that of unknown keys (no application, no limit of its own).
    /// </summary>
    public ApplicationState? ApplicationKeyOwner { get; init; }

    /// <summary>The key pair whose application key <see cref="ApplicationKeyOwner"/> matched.</summary>
    public Guid? ApplicationKeyPairId { get; init; }

    /// <summary>The application whose usage counts this call: the keys', or the application key's when only the consumer key was wrong.</summary>
    public ApplicationState? MeteredApplication => Application ?? ApplicationKeyOwner;

    /// <summary>The key pair usage counts this call under, with <see cref="MeteredApplication"/>.</summary>
    public Guid? MeteredKeyPairId => Application is null ? ApplicationKeyPairId : KeyPairId;
}
