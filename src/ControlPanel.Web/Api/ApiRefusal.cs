using System.Text.Json;
using ControlPanel.Domain.Errors;

namespace ControlPanel.Web.Api;

/// <summary>
/// The one answer for a refusal under /api: the error body <c>{"Error", "Description", "extraInfo"}</c> with the status
/// <see cref="ApiError.RefusalStatus"/> gives its code (a refusal is never 2xx), <c>Cache-Control: no-store</c>, and no body
/// to a HEAD. Endpoints return it as their <see cref="IResult"/>; the paths that answer outside an endpoint (the check
/// before routing, the status-code fallback, authorization) await <see cref="WriteAsync(HttpContext, ApiError, string?)"/>.
/// </summary>
public sealed class ApiRefusal(int statusCode, ApiErrorBody body) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ApiErrorBody>, IContentTypeHttpResult
{
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>The refusal of <paramref name="error"/>, at its <see cref="ApiError.RefusalStatus"/>.</summary>
    public static ApiRefusal For(ApiError error, string? extraInfo = null) => new(error.RefusalStatus, ApiErrorBody.For(error, extraInfo));

    public int StatusCode => statusCode;

    public ApiErrorBody Value => body;

    int? IStatusCodeHttpResult.StatusCode => statusCode;

    object? IValueHttpResult.Value => body;

    string IContentTypeHttpResult.ContentType => ContentType;

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, statusCode, body);

    public static Task WriteAsync(HttpContext context, ApiError error, string? extraInfo = null) =>
        WriteAsync(context, error.RefusalStatus, ApiErrorBody.For(error, extraInfo));

    /// <summary>The body at another status than the code's: nginx's variant of the check answers only 401 or 403.</summary>
    public static async Task WriteAsync(HttpContext context, int status, ApiErrorBody body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(context.Request.Method)) return;
        response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(response.Body, body, ApiJson.Default.ApiErrorBody, context.RequestAborted);
    }
}
