using System.Net;
using System.Threading.RateLimiting;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Limits;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Components.Account;

/// <summary>
/// Limits the sign-in and registration form posts per client address with ASP.NET Core's rate limiter, so one address
/// cannot try passwords across many accounts (the per-user lockout only slows guessing one account) or register in bulk.
/// The forms are static server-rendered posts, so the limit applies to the POSTs of their pages; page views are free.
/// A post is matched by the route pattern of the endpoint the router picked (the limiter runs after routing), never by
/// the raw path: the router also accepts "/Account/Login/" and "/account/LOGIN", and each of those must count too.
/// </summary>
public static class SignInThrottle
{
    /// <summary>
    /// The pages whose form posts are counted, as their route patterns; LoginWith2fa and LoginWithRecoveryCode are guessable codes too, and ForgotPassword sends
    /// mail (each address has its own hourly limit in PasswordRecovery as well).
    /// </summary>
    private static readonly string[] ThrottledPages =
        ["/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register", "/Account/ForgotPassword", "/Account/ResetPassword"];

    public static void AddSignInThrottle(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AccountSecurityOptions>>((options, security) =>
        {
            var limits = security.Value;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsThrottled(context)
                    ? RateLimitPartition.GetFixedWindowLimiter(AddressKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.SignInPostsPerAddress,
                        Window = TimeSpan.FromMinutes(limits.SignInPostWindowMinutes),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = ((int)TimeSpan.FromMinutes(limits.SignInPostWindowMinutes).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                response.ContentType = "text/html; charset=utf-8";
                // A body of its own, so the status-code pages do not turn it into the not-found page.
                await response.WriteAsync("<!DOCTYPE html><html lang=\"en\"><head><title>Too many attempts · ControlPanel</title></head><body><h1>Too many attempts</h1>" +
                    "<p>Too many sign-in or registration attempts came from your network. Wait a minute, then <a href=\"/Account/Login\">try again</a>.</p></body></html>", cancellationToken);
            };
        });
    }

    private static bool IsThrottled(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && context.GetEndpoint() is RouteEndpoint endpoint
        && ThrottledPages.Contains(endpoint.RoutePattern.RawText, StringComparer.OrdinalIgnoreCase);

    /// <summary>The partition for an address: the same client grouping as the API's limits (an IPv6 client is its /64).</summary>
    internal static string AddressKey(IPAddress? address) => ClientAddressGroup.Of(address);
}
