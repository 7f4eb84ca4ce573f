using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Requests;
using ControlPanel.Web.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace ControlPanel.Web.Gateway;

/// <summary>
/// The first step of YARP's pipeline for every proxied request: the same <see cref="RequestCheck"/> as /api/v1/check,
/// in process, before the request is forwarded. A refusal is answered here (the seed's body and status) and never
/// reaches the upstream; an allowed call goes on with the caller's identity in X-ControlPanel-* headers and without its
/// credentials, and the client gets the X-RateLimit-* headers. An upstream that is down or slow answers the error body
/// too, and the call is given back to the caller's quota.
/// </summary>
public sealed class GatewayCheck(CheckRequestReader reader, RequestCheck check, ApplicationDirectory applications, TimeProvider clock)
{
    /// <summary>Route metadata: "Off" lets a route's calls through unchecked (public pages); anything else, or none, checks them.</summary>
    public const string CheckMetadata = "ControlPanel.Check";

    /// <summary>Route metadata: "Keep" forwards the client's credentials to the upstream; by default they are removed.</summary>
    public const string CredentialsMetadata = "ControlPanel.Credentials";

    /// <summary>124 FAILED TO CONNECT, answered 502, 503 or 504 by the fault (see docs/gateways.md, "Gateway mode").</summary>
    public static ApiError UpstreamFailed { get; } = ErrorCatalogue.Get(124);

    private static readonly string[] CredentialHeaders =
        [CheckRequestReader.ApplicationKeyHeader, CheckRequestReader.ConsumerKeyHeader, CheckRequestReader.ApiKeyHeader, HeaderNames.Authorization];

    private static readonly string[] IdentityHeaders =
        [DecisionResponses.ApplicationHeader, DecisionResponses.EnvironmentHeader, DecisionResponses.SessionHeader, DecisionResponses.ViewHeader];

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        // The upstream's answers are its own: no UI not-found page over an upstream's 404.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        // Only this gateway says who the caller is: a client's own X-ControlPanel-* identity never reaches the upstream.
        foreach (var header in IdentityHeaders) request.Headers.Remove(header);

        var metadata = context.GetReverseProxyFeature().Route.Config.Metadata;
        if (!IsChecked(metadata))
        {
            await next();
            return;
        }

        // A browser's preflight carries no keys: the gateway answers it from the origin alone, uncounted, as /check does.
        if (CorsResponses.IsPreflight(request))
        {
            await CorsResponses.WritePreflightAsync(context, applications);
            return;
        }
        CorsResponses.WriteAnswerHeaders(context, applications);
        var checkRequest = ReadCheckRequest(context);
        var checkedAt = clock.GetUtcNow();
        var decision = await check.CheckAsync(checkRequest);
        DecisionResponses.WriteRateLimitHeaders(context.Response, decision.RateLimit);
        if (decision.Error is { } error)
        {
            await ApiRefusal.WriteAsync(context, error, decision.ExtraInfo);
            return;
        }

        if (!KeepsCredentials(metadata))
            foreach (var header in CredentialHeaders) request.Headers.Remove(header);
        var application = decision.Application!;
        request.Headers[DecisionResponses.ApplicationHeader] = application.IdText;
        request.Headers[DecisionResponses.EnvironmentHeader] = application.EnvironmentText;
        if (decision.Session is { } session)
        {
            request.Headers[DecisionResponses.SessionHeader] = session.Id.ToString();
            request.Headers[DecisionResponses.ViewHeader] = session.View;
        }

        await next();

        if (context.GetForwarderErrorFeature() is { } fault && FaultStatus(fault.Error) is { } status)
        {
            // The call never got an answer from the upstream: it does not use up the caller's quota.
            await check.RefundAsync(decision, checkRequest, checkedAt, UpstreamFailed);
            if (!context.Response.HasStarted)
                await ApiRefusal.WriteAsync(context, status, ApiErrorBody.For(UpstreamFailed, FaultMessage(status)));
        }
    }

    /// <summary>A route is checked unless its metadata turns the check "Off".</summary>
    public static bool IsChecked(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null || !metadata.TryGetValue(CheckMetadata, out var setting) || !string.Equals(setting, "Off", StringComparison.OrdinalIgnoreCase);

    /// <summary>A route forwards the client's credentials only when its metadata says "Keep".</summary>
    public static bool KeepsCredentials(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(CredentialsMetadata, out var setting) && string.Equals(setting, "Keep", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The one place a proxied request becomes a <see cref="CheckRequest"/>, read as /api/v1/check reads a call. The call is
    /// the request itself (as for Envoy's ext_authz), so its own method and path name the resource in the catalogue.
    /// </summary>
    private CheckRequest ReadCheckRequest(HttpContext context) =>
        reader.ReadOwnCall(context, context.Request.Path.Value);

    /// <summary>The faults where the upstream gave no answer; later ones (a client gone mid-body) are not the upstream's.</summary>
    private static int? FaultStatus(ForwarderError error) => error switch
    {
        ForwarderError.Request => StatusCodes.Status502BadGateway,
        ForwarderError.RequestTimedOut => StatusCodes.Status504GatewayTimeout,
        ForwarderError.NoAvailableDestinations => StatusCodes.Status503ServiceUnavailable,
        _ => null,
    };

    private static string FaultMessage(int status) => status switch
    {
        StatusCodes.Status504GatewayTimeout => "The API behind the gateway did not answer in time. The call was not counted towards the quota.",
        StatusCodes.Status503ServiceUnavailable => "No server of the API behind the gateway is available now. The call was not counted towards the quota.",
        _ => "The gateway could not reach the API behind it. The call was not counted towards the quota.",
    };
}
