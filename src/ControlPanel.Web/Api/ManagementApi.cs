using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Requests;

namespace ControlPanel.Web.Api;

/// <summary>
/// The management API under /api/v1/manage: what an owner does in the browser, over HTTP with
/// <c>Authorization: Bearer cpat_…</c>. Every endpoint calls the domain service the UI calls, as the token's
/// <see cref="Viewer"/> (its creator, narrowed to the token's scope), so the rules and messages are the UI's.
/// This group checks the token and answers the domain's refusals once; each area maps its endpoints in its own file
/// (<c>…Api.cs</c>), with the OpenAPI conventions of <see cref="ManagementOpenApi"/> and, for a write worth retrying,
/// <see cref="IdempotencyFilter"/>.
/// </summary>
public static class ManagementApi
{
    public const string Prefix = "/api/v1/manage";
    private const string UseItem = "ControlPanel.AccessTokenUse";

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var manage = endpoints.MapGroup(Prefix)
            .AddEndpointFilter(AuthenticateAsync)
            // Inside the token's filter, so a write's audit row records the refusal's status.
            .AnswerDomainRefusals()
            .DisableAntiforgery()
            .WithTags("Management");

        manage.MapApplicationsApi();
        manage.MapKeysApi();
        manage.MapAllowlistApi();
        manage.MapManagementUsageApi();
        manage.MapWebhookManagementApi();
        manage.MapMembersApi();
        manage.MapAccessTokensApi();
        manage.MapStaffApi();
        manage.MapResourcesApi();
        manage.MapSessionsApi();

        return endpoints;
    }

    // ---- authentication, scope, rate limit, audit ----

    /// <summary>
    /// Every call: the caller's address must have refused calls left (158, as at the key check), the token is checked (194 missing,
    /// 114 unknown or revoked or its user removed, 113 expired, 225 account locked; each counts against the address), then
    /// counted against AccessTokens:RequestsPerMinute (158 and X-RateLimit-* headers); a write with a read-only token answers 170;
    /// a write is recorded in the audit log with its outcome.
    /// </summary>
    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var services = http.RequestServices;
        http.Response.Headers.CacheControl = "no-store";
        // A token is a credential: like the keys, it travels only over HTTPS (Api:RequireHttps; X-Forwarded-Proto from trusted proxies).
        var connection = services.GetRequiredService<CheckRequestReader>().Read(http);
        if (!connection.IsHttps && services.GetRequiredService<RequestCheck>().RequiresHttps)
            return ApiRefusal.For(ErrorCatalogue.NotUsingHttps, "Call the management API over HTTPS.");
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var admission = services.GetRequiredService<AccessTokenAdmission>();
        var admitted = await admission.AdmitAsync(token, connection.ClientIp, http.RequestAborted);
        if (admitted.Window is { } window) DecisionResponses.WriteRateLimitHeaders(http.Response, window);
        if (admitted.Use is not { } use) return admitted.Refused switch
        {
            AccessTokenService.Refusal.TooManyRefused => ApiRefusal.For(ErrorCatalogue.RateLimitExceeded, admission.TooManyRefusedMessage),
            AccessTokenService.Refusal.RateLimited => ApiRefusal.For(ErrorCatalogue.RateLimitExceeded, $"An access token makes at most {admitted.Window!.Value.Limit} calls a minute."),
            var refusal => Refused(refusal!.Value),
        };

        var write = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (write && use.ReadOnly)
            return ApiRefusal.For(ApiStatusCodes.NoAccess, use.Viewer.SeesNoSecrets
                ? $"{use.Viewer.Role} tokens are read-only."
                : $"The access token \"{use.TokenName}\" is read-only. Make a read and write token to change things.");

        http.Items[UseItem] = use;
        var result = await next(invocation);
        if (write)
        {
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            await services.GetRequiredService<AccessTokenService>().RecordWriteAsync(use, http.Request.Method, http.Request.Path, status);
        }
        return result;
    }

    private static IResult Refused(AccessTokenService.Refusal refusal) => refusal switch
    {
        AccessTokenService.Refusal.Missing => ApiRefusal.For(ErrorCatalogue.NoTokenOrSession, "Send Authorization: Bearer <access token> (cpat_…), made on the Access tokens page."),
        AccessTokenService.Refusal.Expired => ApiRefusal.For(ErrorCatalogue.TokenExpired, "This access token has expired. Make a new one on the Access tokens page."),
        AccessTokenService.Refusal.Revoked => ApiRefusal.For(ErrorCatalogue.InvalidToken, "This access token was revoked."),
        AccessTokenService.Refusal.AccountLocked => ApiRefusal.For(ErrorCatalogue.AccountLocked, "The account of this token's user is locked."),
        _ => ApiRefusal.For(ErrorCatalogue.InvalidToken, "This is not a valid access token."),
    };

    /// <summary>
    /// Runs one call as the token's viewer; the domain's refusals (not found, a refused change with the UI's sentence)
    /// are answered by <see cref="DomainRefusals"/>.
    /// </summary>
    internal static Task<IResult> AsTokenAsync(HttpContext http, Func<AccessTokenService.Use, Task<IResult>> call) =>
        call(TokenUse(http));

    /// <summary>The token this call was admitted with (set by the group's filter, which every management endpoint is behind).</summary>
    internal static AccessTokenService.Use TokenUse(HttpContext http) => (AccessTokenService.Use)http.Items[UseItem]!;

    internal static IResult Invalid(string message) => ApiRefusal.For(ErrorCatalogue.DataNotValid, message);

    internal static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    internal static string Choices<TEnum>() where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());
}
