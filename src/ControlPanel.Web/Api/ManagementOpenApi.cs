using ControlPanel.Domain.Errors;

namespace ControlPanel.Web.Api;

/// <summary>
/// How a management endpoint describes itself in the OpenAPI document: its name and summary, its success answer with the
/// refusals every management endpoint can give, and an example request and answer.
/// </summary>
public static class ManagementOpenApi
{
    internal static RouteHandlerBuilder Named(this RouteHandlerBuilder endpoint, string name, string summary) =>
        endpoint.WithName(name).WithSummary(summary);

    /// <summary>The success answer and the refusals every management endpoint can give.</summary>
    internal static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder endpoint, int status, bool write = false) =>
        endpoint.Produces<T>(status).Refusals(write);

    internal static RouteHandlerBuilder Answers(this RouteHandlerBuilder endpoint, int status, bool write = false) =>
        endpoint.Produces(status).Refusals(write);

    private static RouteHandlerBuilder Refusals(this RouteHandlerBuilder endpoint, bool write)
    {
        endpoint.Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<ApiErrorBody>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests);
        return endpoint.WithDescription(
            "Authorization: Bearer <access token>, over HTTPS (101, 426, otherwise). Refusals use the error body: 194/114/113 (401) for a missing, unknown or revoked, or expired token; " +
            "225 (403) when the account is locked; 158 (429) past AccessTokens:RequestsPerMinute, with X-RateLimit-* headers; " +
            "195 (404) for what does not exist or belongs to another account; 117 (400) with the UI's message for a refused change" +
            (write ? "; 170 (403) for a read-only token (and every Support token). Every write is recorded in the audit log with the token's name." : "."));
    }

    /// <summary>The example request (which also documents the JSON body the endpoint reads itself) and answer.</summary>
    internal static RouteHandlerBuilder Example(this RouteHandlerBuilder endpoint, object? request, object? response)
    {
        // Bodies are read by the endpoints after the token is checked, so a caller without a token costs no body read.
        if (request is not null) endpoint.Accepts(request.GetType(), "application/json");
        return endpoint.WithMetadata(new ManagementExample(request, response));
    }
}
