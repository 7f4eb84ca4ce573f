using System.Net;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Sessions;

namespace ControlPanel.Web.Api;

/// <summary>
/// The key-validation API under /api/v1: the forward-auth check for gateways, verify for SDKs,
/// sessions, and the seed's helper tables. Thin: each endpoint reads HTTP into a
/// <see cref="CheckRequest"/>, asks <see cref="RequestCheck"/>, and writes the answer.
/// </summary>
public static class KeyValidationApi
{
    public static IEndpointRouteBuilder MapKeyValidationApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json");

        // The UI's status-code pages are off under /api (ApiStatusCodes), so API errors keep their own JSON body.
        var api = endpoints.MapGroup(Prefix).WithTags("Key validation");

        MapCheck(api, ForwardAuthCheck, "Check",
            "Forward-auth check for gateways (Traefik ForwardAuth, Envoy ext_authz)",
            "200 with no body when the client's call may proceed; otherwise the error's status and JSON body. Every answer carries X-RateLimit-Limit, -Remaining and -Reset. A browser's CORS preflight (OPTIONS with Origin and Access-Control-Request-Method, no keys) is answered 204 with CORS headers for an origin some application's allowlist lists, 403 (111) otherwise, and counted nowhere.",
            StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status406NotAcceptable,
            StatusCodes.Status423Locked, StatusCodes.Status426UpgradeRequired, StatusCodes.Status429TooManyRequests);

        MapCheck(api, NginxCheck, "CheckForNginx",
            "Forward-auth check for nginx auth_request",
            "As /check, but refusals answer only 401 or 403 (all nginx accepts); the real status, code, description and JSON body are in X-ControlPanel-Status, -Error, -Description and -Body.",
            StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

        MapCheck(api, EnvoyCheck, "CheckForEnvoy",
            "Forward-auth check for Envoy ext_authz (path_prefix /api/v1/check/envoy)",
            "As /check, with the client's call in the check's own request: its method, and its path after /api/v1/check/envoy, name the resource.",
            StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status406NotAcceptable,
            StatusCodes.Status423Locked, StatusCodes.Status426UpgradeRequired, StatusCodes.Status429TooManyRequests);

        api.MapPost("/verify", VerifyAsync)
            .WithName("Verify")
            .WithSummary("Verify a client's keys (for SDKs and services)")
            .WithDescription("Credentials as the check takes them (APPLICATIONKEY and CONSUMERKEY headers, Basic, Bearer) or in the JSON body, not both. Always 200 with valid true or false for a decision about the keys; 400 (117) for an unreadable body; 426 (101) when the verify call itself is not over HTTPS.")
            .Accepts<VerifyRequest>("application/json")
            .Produces<VerifyResponse>(StatusCodes.Status200OK)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status426UpgradeRequired);

        api.MapPost("/session", OpenSessionAsync)
            .WithName("OpenSession")
            .WithSummary("Open a session with valid keys: a Bearer token that expires 2 hours after creation")
            .Produces<SessionCreated>(StatusCodes.Status201Created)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests);

        api.MapPut("/session/view", ChangeViewAsync)
            .WithName("ChangeSessionView")
            .WithSummary("Change the view of the Bearer token's session")
            .Accepts<ViewChange>("application/json")
            .Produces<SessionView>(StatusCodes.Status200OK)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized);

        api.MapGet("/helper/error", () => TypedResults.Json(ErrorRows, ApiJson.Default.ErrorRowArray))
            .WithName("ErrorCodes")
            .WithSummary("The full error-code table")
            .WithDescription("Each row: code, severity and description exactly as the SYNAPPS guide has them, httpStatus the guide's status, answeredStatus the status this API answers with that code (a refusal is never 2xx).");

        api.MapGet("/helper/channels", () => TypedResults.Json(ChannelRows, ApiJson.Default.ChannelRowArray))
            .WithName("Channels")
            .WithSummary("The channel table");

        return endpoints;
    }

    private const string Prefix = "/api/v1";

    /// <summary>
    /// One path the check answers on; <see cref="UseKeyCheck"/> and <see cref="MapCheck"/> both read these. A path that carries
    /// the call (Envoy's ext_authz appends the client's path to its path_prefix) also answers every path below it.
    /// </summary>
    private sealed record CheckPath(string Pattern, bool ForNginx, bool CarriesCall = false)
    {
        public string Full { get; } = Prefix + Pattern;

        /// <summary>Is <paramref name="requested"/> this check? <paramref name="call"/> is the client's path when this path carries it.</summary>
        public bool Answers(string? requested, out string? call)
        {
            call = null;
            if (requested is null || !requested.StartsWith(Full, StringComparison.OrdinalIgnoreCase)) return false;
            if (requested.Length == Full.Length)
            {
                if (CarriesCall) call = "/";
                return true;
            }
            if (!CarriesCall || requested[Full.Length] != '/') return false;
            call = requested[Full.Length..];
            return true;
        }
    }

    private static readonly CheckPath ForwardAuthCheck = new("/check", ForNginx: false);
    private static readonly CheckPath NginxCheck = new("/check/nginx", ForNginx: true);
    private static readonly CheckPath EnvoyCheck = new("/check/envoy", ForNginx: false, CarriesCall: true);
    private static readonly CheckPath[] CheckPaths = [ForwardAuthCheck, NginxCheck, EnvoyCheck];

    /// <summary>A gateway's check subrequest keeps the client's method, so the check answers the usual ones.</summary>
    internal static readonly string[] CheckMethods =
        [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Options];

    /// <summary>The methods the OpenAPI document lists, one operation each; the others answer the same, undocumented.</summary>
    private static readonly string[] DocumentedCheckMethods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post];

    private static void MapCheck(RouteGroupBuilder api, CheckPath path, string name, string summary, string description, params int[] refusals)
    {
        Task Handle(HttpContext context, CheckRequestReader reader, RequestCheck check, ApplicationDirectory applications) =>
            AnswerCheckAsync(context, reader, check, applications, path);

        api.MapMethods(path.Pattern, [.. CheckMethods.Except(DocumentedCheckMethods)], Handle).ExcludeFromDescription();
        if (path.CarriesCall) api.MapMethods(path.Pattern + "/{**call}", CheckMethods, Handle).ExcludeFromDescription();
        foreach (var method in DocumentedCheckMethods)
        {
            var endpoint = api.MapMethods(path.Pattern, [method], Handle)
                .WithName(method == HttpMethods.Get ? name : name + (method == HttpMethods.Head ? "Head" : "Post"))
                .WithSummary(summary)
                .WithDescription(description)
                .Produces(StatusCodes.Status200OK);
            foreach (var status in refusals) endpoint.Produces<ApiErrorBody>(status);
        }
    }

    /// <summary>The forward-auth check: read the call, decide, answer.</summary>
    private static async Task AnswerCheckAsync(HttpContext context, CheckRequestReader reader, RequestCheck check, ApplicationDirectory applications, CheckPath path)
    {
        // A browser's preflight carries no keys: answered from the origin alone, never counted (see CorsResponses).
        if (CorsResponses.IsPreflight(context.Request))
        {
            await CorsResponses.WritePreflightAsync(context, applications);
            return;
        }
        CorsResponses.WriteAnswerHeaders(context, applications);
        // Envoy's ext_authz sends the client's own method, and its path after the path prefix: the call is the request itself.
        var request = path.Answers(context.Request.Path.Value, out var call) && call is not null
            ? reader.ReadOwnCall(context, call)
            : reader.Read(context);
        await DecisionResponses.WriteCheckAsync(context, await check.CheckAsync(request), path.ForNginx);
    }

    /// <summary>
    /// Answers the forward-auth check before routing, authentication and the UI's middleware: gateways call it on every
    /// client request, and it uses none of them (no cookie, form, status-code page or Razor endpoint), so it is not made to
    /// pay for them. The same paths and methods (CheckPaths, CheckMethods) stay mapped (MapCheck) for the OpenAPI document and for any
    /// request that reaches routing; both answer through <see cref="AnswerCheckAsync"/>.
    /// </summary>
    public static IApplicationBuilder UseKeyCheck(this IApplicationBuilder app)
    {
        var reader = app.ApplicationServices.GetRequiredService<CheckRequestReader>();
        var check = app.ApplicationServices.GetRequiredService<RequestCheck>();
        var applications = app.ApplicationServices.GetRequiredService<ApplicationDirectory>();
        return app.Use((context, next) =>
        {
            var requested = context.Request.Path.Value;
            foreach (var path in CheckPaths)
            {
                if (path.Answers(requested, out _))
                    return Array.IndexOf(CheckMethods, context.Request.Method) >= 0 ? AnswerCheckAsync(context, reader, check, applications, path) : next(context);
            }
            return next(context);
        });
    }

    private static readonly ErrorRow[] ErrorRows =
        [.. ErrorCatalogue.All.Select(e => new ErrorRow(e.Code, e.Severity, e.Description, e.HttpStatus, e.RefusalStatus))];

    private static readonly ChannelRow[] ChannelRows =
        [.. ChannelCatalogue.All.Select(c => new ChannelRow(c.Number, c.Description, c.Active ? "Active" : "Inactive"))];

    private static async Task VerifyAsync(HttpContext context, CheckRequestReader reader, RequestCheck check)
    {
        var fromHeaders = reader.Read(context);
        if (!fromHeaders.IsHttps && check.RequiresHttps)
        {
            await ApiRefusal.WriteAsync(context, ErrorCatalogue.NotUsingHttps, RequestCheck.NotUsingHttpsAdvice);
            return;
        }
        // Credentials as the check reads them (key headers, Basic, Bearer) or in the body; then the body is optional.
        var body = await ApiBody.ReadJsonAsync(context, ApiJson.Default.VerifyRequest, emptyAs: EmptyVerifyRequest);
        if (body is null)
        {
            await ApiRefusal.WriteAsync(context, ErrorCatalogue.DataNotValid, "Send the keys as the check takes them (APPLICATIONKEY and CONSUMERKEY headers, Basic or Bearer) or a JSON object: {\"applicationKey\", \"consumerKey\", \"token\"?, \"clientIp\"?, \"origin\"?, \"counted\"?, \"method\"?, \"path\"?}.");
            return;
        }
        var fromConnection = CheckRequestReader.WithBodyCredentials(fromHeaders, body.ApplicationKey, body.ConsumerKey, body.Token);

        // What the caller says about its client is believed from trusted proxies only.
        var trusted = reader.IsTrustedProxy(context);
        var clientIp = fromConnection.ClientIp;
        if (trusted && body.ClientIp is { Length: > 0 } ip)
        {
            if (!IPAddress.TryParse(ip, out var parsed))
            {
                await ApiRefusal.WriteAsync(context, ErrorCatalogue.DataNotValid, "clientIp is not an IP address.");
                return;
            }
            clientIp = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
        }
        var decision = await check.CheckAsync(fromConnection with
        {
            ClientIp = clientIp,
            Origin = trusted && body.Origin is not null ? body.Origin : fromConnection.Origin,
            IsHttps = true, // the keys travelled in this call, which passed the HTTPS rule above
            // Like X-ControlPanel-Counted: an exemption from the quota needs the gateway secret as well.
            Counted = (body.Counted ?? true) || !reader.MayExemptFromQuota(context),
            SessionRequired = body.SessionRequired ?? fromConnection.SessionRequired,
            // The call the caller asks about; a gateway's forwarded headers say it when the body does not.
            Method = body.Path is { Length: > 0 } ? body.Method : fromConnection.Method,
            Path = body.Path is { Length: > 0 } ? body.Path : fromConnection.Path,
        });

        DecisionResponses.WriteRateLimitHeaders(context.Response, decision.RateLimit);
        context.Response.Headers.CacheControl = "no-store";
        var error = decision.Error;
        var application = decision.Application;
        var rate = decision.RateLimit;
        await context.Response.WriteAsJsonAsync(new VerifyResponse(
            decision.Allowed,
            error?.Code ?? 0,
            error?.Description ?? "OK",
            decision.ExtraInfo,
            application is null ? null : new ApplicationSummary(application.Id, application.Name),
            application?.EnvironmentText,
            decision.Session is { } session ? new SessionSummary(session.Id, session.View, session.ExpiresAt) : null,
            decision.Quota is { } quota ? new QuotaSummary(quota.Quota, quota.OverrunAllowance, quota.Used, quota.Remaining, quota.ResetsAt) : null,
            new RateLimitSummary(rate.Limit, rate.Remaining, rate.ResetUnixSeconds), decision.Resource.Title), ApiJson.Default.VerifyResponse);
    }

    private static async Task OpenSessionAsync(HttpContext context, CheckRequestReader reader, RequestCheck check, SessionService sessions)
    {
        // Opening a session is session management, not a resource call: rate limited and metered, not counted.
        var request = reader.Read(context) with { SessionManagement = true, SessionToken = null };
        var decision = await check.CheckAsync(request);
        DecisionResponses.WriteRateLimitHeaders(context.Response, decision.RateLimit);
        if (decision.Error is { } error)
        {
            await ApiRefusal.WriteAsync(context, error, decision.ExtraInfo);
            return;
        }
        var result = await sessions.OpenAsync(decision, request.ClientIp?.ToString(), context.RequestAborted);
        if (result.Session is not { } opened)
        {
            // 158 reports the session-creation window instead of the caller's call window; 196 says when a slot frees.
            if (result.RateLimit is { } rate) DecisionResponses.WriteRateLimitHeaders(context.Response, rate);
            if (result.RetryAfter is { } wait)
                context.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiRefusal.WriteAsync(context, result.Error!, result.ExtraInfo);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(
            new SessionCreated(opened.SessionId, opened.Token, "Bearer", opened.ExpiresAt, (int)Session.Lifetime.TotalSeconds, opened.View),
            ApiJson.Default.SessionCreated);
    }

    private static async Task ChangeViewAsync(HttpContext context, CheckRequestReader reader, RequestCheck check, SessionService sessions)
    {
        var decision = await check.CheckAsync(reader.Read(context) with { SessionManagement = true, SessionRequired = true });
        DecisionResponses.WriteRateLimitHeaders(context.Response, decision.RateLimit);
        if (decision.Error is { } error)
        {
            await ApiRefusal.WriteAsync(context, error, decision.ExtraInfo);
            return;
        }
        var body = await ApiBody.ReadJsonAsync(context, ApiJson.Default.ViewChange);
        var session = decision.Session!;
        if (body is null || !await sessions.ChangeViewAsync(session.Id, body.View, context.RequestAborted))
        {
            await ApiRefusal.WriteAsync(context, ErrorCatalogue.InvalidView, SessionService.IsValidView(body?.View?.Trim())
                ? "There is no such view: a session changes only to one of its application's views, which the owner lists on the application's Views tab."
                : $"A view name is 1 to {Domain.Applications.Application.ViewMaxLength} characters: letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.");
            return;
        }
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new SessionView(session.Id, session.View, session.ExpiresAt), ApiJson.Default.SessionView);
    }

    private static readonly VerifyRequest EmptyVerifyRequest = new(null, null);
}
