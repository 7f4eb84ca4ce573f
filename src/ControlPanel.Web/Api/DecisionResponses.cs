using System.Globalization;
using System.Text.Json;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Requests;

namespace ControlPanel.Web.Api;

/// <summary>How a <see cref="Decision"/> is written as an HTTP response.</summary>
public static class DecisionResponses
{
    public const string StatusHeader = "X-ControlPanel-Status";
    public const string ErrorHeader = "X-ControlPanel-Error";
    public const string DescriptionHeader = "X-ControlPanel-Description";
    public const string BodyHeader = "X-ControlPanel-Body";
    public const string ApplicationHeader = "X-ControlPanel-Application";
    public const string EnvironmentHeader = "X-ControlPanel-Environment";
    public const string SessionHeader = "X-ControlPanel-Session";
    public const string ViewHeader = "X-ControlPanel-View";

    /// <summary>
    /// nginx's auth_request accepts only 2xx, 401 and 403 (anything else becomes a 500 for the
    /// client), so its variant of the check answers 401 or 403 and carries the real status, code
    /// and body in headers for nginx to rebuild the response.
    /// </summary>
    public static int NginxStatus(int status) => status == StatusCodes.Status401Unauthorized ? status : StatusCodes.Status403Forbidden;

    public static void WriteRateLimitHeaders(HttpResponse response, RateLimitDecision rate)
    {
        var headers = response.Headers;
        headers[RateLimitHeaders.Limit] = Number(rate.Limit);
        headers[RateLimitHeaders.Remaining] = Number(rate.Remaining);
        headers[RateLimitHeaders.Reset] = rate.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The forward-auth answer: 200 with identifying headers and no body, or the refusal.</summary>
    public static Task WriteCheckAsync(HttpContext context, Decision decision, bool forNginx)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        WriteRateLimitHeaders(response, decision.RateLimit);
        if (decision.Error is not { } error)
        {
            var application = decision.Application!;
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers[ApplicationHeader] = application.IdText;
            response.Headers[EnvironmentHeader] = application.EnvironmentText;
            if (decision.Session is { } session)
            {
                response.Headers[SessionHeader] = session.Id.ToString();
                response.Headers[ViewHeader] = session.View;
            }
            response.ContentLength = 0;
            return Task.CompletedTask;
        }

        var status = error.RefusalStatus;
        var body = ApiErrorBody.For(error, decision.ExtraInfo);
        if (forNginx)
        {
            response.Headers[StatusHeader] = Number(status);
            response.Headers[ErrorHeader] = Number(error.Code);
            response.Headers[DescriptionHeader] = error.Description;
            // ASCII-only JSON (the serializer escapes anything else), so it travels in a header.
            response.Headers[BodyHeader] = JsonSerializer.Serialize(body, ApiJson.Default.ApiErrorBody);
            status = NginxStatus(status);
        }
        return ApiRefusal.WriteAsync(context, status, body);
    }

    // .NET caches the strings of small numbers, so the common header values do not allocate.
    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
