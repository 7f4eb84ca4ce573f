using System.Runtime.CompilerServices;
using ControlPanel.Domain.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Routing.Template;

namespace ControlPanel.Web.Api;

/// <summary>
/// Answers left without a body under /api (an unknown path, a wrong method, a request the framework
/// could not bind) get the error body shape instead of the UI's HTML pages, with the status
/// <see cref="ApiError.RefusalStatus"/> gives the code.
/// </summary>
public static class ApiStatusCodes
{
    /// <summary>226 USER SET AS LOGGED OUT (401): the signed-in API (usage) was called without the control panel's cookie.</summary>
    public static ApiError NotSignedIn { get; } = ErrorCatalogue.Get(226);

    /// <summary>170 NO ACCESS TO THIS RESOURCE (403).</summary>
    public static ApiError NoAccess { get; } = ErrorCatalogue.Get(170);

    /// <summary>195 API DOES NOT EXIST (404).</summary>
    public static ApiError UnknownPath { get; } = ErrorCatalogue.Get(195);

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>
    /// Turns the UI's status-code pages off under /api and gives an answer left without a body there the
    /// error body shape. Comes after UseStatusCodePagesWithReExecute, so that middleware sees the switch.
    /// </summary>
    public static IApplicationBuilder UseApiStatusCodes(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!IsApi(context))
        {
            await next(context);
            return;
        }
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        await next(context);
        var response = context.Response;
        if (response.HasStarted || response.StatusCode < 400 || response.ContentLength.HasValue || !string.IsNullOrEmpty(response.ContentType)) return;
        var status = response.StatusCode;
        if (status is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
        {
            // Routing's own 404/405 is not reliable here: the UI's catch-all static-file fallback turns some
            // wrong methods into 404 and some unknown paths into 405. Decide from the API's own endpoints.
            var methods = MethodsAt(context);
            status = methods.Count == 0 ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed;
            if (methods.Count > 0) response.Headers.Allow = string.Join(", ", methods);
        }
        await ApiRefusal.WriteAsync(context, ErrorFor(status, context.Request.Method));
    });

    private sealed record ApiRoute(TemplateMatcher Matcher, IReadOnlyList<string> Methods);

    private static readonly ConditionalWeakTable<EndpointDataSource, IReadOnlyList<ApiRoute>> Routes = new();

    /// <summary>The methods the API's endpoints answer at this request's path; empty when no endpoint has the path.</summary>
    private static IReadOnlyCollection<string> MethodsAt(HttpContext context)
    {
        var source = context.RequestServices.GetRequiredService<EndpointDataSource>();
        var routes = Routes.GetValue(source, s => s.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && ("/" + raw.TrimStart('/')).StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
            .Select(e => new ApiRoute(
                new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!.TrimStart('/')), new RouteValueDictionary()),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList());
        var methods = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var route in routes)
            if (route.Matcher.TryMatch(context.Request.Path, new RouteValueDictionary()))
                methods.UnionWith(route.Methods);
        return methods;
    }

    /// <summary>The catalogue's error for a bare HTTP status.</summary>
    public static ApiError ErrorFor(int status, string method) => status switch
    {
        StatusCodes.Status401Unauthorized => NotSignedIn,
        StatusCodes.Status403Forbidden => NoAccess,
        StatusCodes.Status404NotFound => UnknownPath,
        StatusCodes.Status405MethodNotAllowed => MethodNotAvailable(method),
        StatusCodes.Status429TooManyRequests => ErrorCatalogue.RateLimitExceeded,
        >= 500 => ErrorCatalogue.Get(124), // FAILED TO CONNECT (503)
        _ => ErrorCatalogue.DataNotValid,
    };

    /// <summary>The guide has a code per method (128 to 132) and 134 for the rest.</summary>
    private static ApiError MethodNotAvailable(string method) => ErrorCatalogue.Get(method switch
    {
        _ when HttpMethods.IsPut(method) => 128,
        _ when HttpMethods.IsHead(method) => 129,
        _ when HttpMethods.IsDelete(method) => 130,
        _ when HttpMethods.IsOptions(method) => 131,
        _ when HttpMethods.IsGet(method) => 132,
        _ => 134,
    });
}
