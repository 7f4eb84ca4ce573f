using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using Microsoft.Net.Http.Headers;

namespace ControlPanel.Web.Api;

/// <summary>
/// CORS for browser pages that call the platform through a gateway. The preflight (an OPTIONS with Origin and
/// Access-Control-Request-Method, sent by the browser without keys) is answered by the check itself, uncounted:
/// 204 with the allowed methods and headers for an origin some application's allowlist lists, 403 (111) otherwise.
/// Every check answer to a call with such an origin carries Access-Control-Allow-Origin (the origin itself, never
/// <c>*</c>) so the page can read it, refusals included; every check answer carries <c>Vary: Origin</c>.
/// </summary>
public static class CorsResponses
{
    /// <summary>The methods the check answers for gateways (its own list, less the preflight's OPTIONS).</summary>
    public static readonly string AllowedMethods = string.Join(", ", KeyValidationApi.CheckMethods.Where(m => !HttpMethods.IsOptions(m)));

    /// <summary>The credential headers the check reads (the Subiz <c>api-key</c> too) and a JSON body's content type.</summary>
    public static readonly string AllowedHeaders = string.Join(", ", CheckRequestReader.ApplicationKeyHeader, CheckRequestReader.ConsumerKeyHeader,
        HeaderNames.Authorization, CheckRequestReader.ApiKeyHeader, HeaderNames.ContentType);

    /// <summary>What a page may read of an answer besides the simple headers: the limit state.</summary>
    public const string ExposedHeaders = "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";

    /// <summary>How long a browser may reuse a preflight answer, in seconds (Chromium caps it at 7200).</summary>
    public const int MaxAgeSeconds = 600;

    /// <summary>An OPTIONS that a browser sends before a cross-origin call: it names the origin and the method to come.</summary>
    public static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.Origin.Count == 1
        && request.Headers.AccessControlRequestMethod.Count > 0;

    /// <summary>Answers a preflight without keys and without counting it anywhere: only the origin decides.</summary>
    public static Task WritePreflightAsync(HttpContext context, ApplicationDirectory applications)
    {
        var request = context.Request;
        var response = context.Response;
        var origin = request.Headers.Origin[0]!;
        response.Headers.Vary = HeaderNames.Origin;
        response.Headers.CacheControl = "no-store";
        if (!applications.AdmitsBrowserOrigin(origin))
            return ApiRefusal.WriteAsync(context, ErrorCatalogue.BadOriginIp,
                "No application's allowlist lists this origin, so browser pages on it may not call the platform.");
        response.StatusCode = StatusCodes.Status204NoContent;
        response.Headers.AccessControlAllowOrigin = origin;
        response.Headers.AccessControlAllowMethods = AllowedMethods;
        response.Headers.AccessControlAllowHeaders = AllowedHeaders;
        response.Headers.AccessControlMaxAge = MaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }

    /// <summary>On a check answer: let a page on a listed origin read it (allowed or refused).</summary>
    public static void WriteAnswerHeaders(HttpContext context, ApplicationDirectory applications)
    {
        var headers = context.Response.Headers;
        headers.Vary = HeaderNames.Origin;
        var origins = context.Request.Headers.Origin;
        if (origins.Count != 1 || origins[0] is not { Length: > 0 } origin || !applications.AdmitsBrowserOrigin(origin)) return;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlExposeHeaders = ExposedHeaders;
    }
}
