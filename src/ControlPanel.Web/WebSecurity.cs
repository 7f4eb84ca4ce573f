using System.Net;
using System.Security.Cryptography;
using ControlPanel.Domain.Requests;
using ControlPanel.Web.Api;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web;

/// <summary>
/// Transport and browser hardening for the UI: Secure cookies outside Development, HSTS, the client's address and
/// scheme from Api:TrustedProxies only, and security headers on every response.
/// </summary>
public static class WebSecurity
{
    /// <summary>
    /// Blazor Server and MudBlazor work under this: scripts only from the app, plus the one inline script the framework
    /// writes (the import map) by this response's nonce; inline styles because MudBlazor sets style attributes;
    /// connect-src 'self' covers the circuit's WebSocket on the same host (ws: and wss:). No frames in either direction,
    /// and forms post only back to the app.
    /// </summary>
    public static string ContentSecurityPolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'none'; frame-ancestors 'none'";

    /// <summary>API answers are JSON or empty: they may load nothing and be framed by nobody.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    private static readonly object NonceKey = new();
    private const string NonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>This response's script nonce, for the page's import map.</summary>
    public static string ScriptNonce(HttpContext context) => (string)context.Items[NonceKey]!;

    public static void AddControlPanelWebSecurity(this WebApplicationBuilder builder)
    {
        // Outside Development cookies are Secure whatever the request's scheme: behind a TLS-terminating proxy the app may
        // see plain HTTP, and a sign-in cookie must never travel unencrypted.
        var securePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.ConfigureAll<CookieAuthenticationOptions>(cookie => cookie.Cookie.SecurePolicy = securePolicy);
        // The antiforgery cookie is no credential and stays as the framework sets it (Secure over HTTPS): with Always the
        // framework refuses to render forms over plain HTTP at all.

        // The same gateways the key-validation API believes, and nobody else (the framework trusts loopback by default).
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ApiOptions>>((forwarded, api) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // Walk X-Forwarded-For from the right through every trusted hop, as the API does, up to the first untrusted one.
            forwarded.ForwardLimit = null;
            foreach (var proxy in api.Value.TrustedProxies)
            {
                if (proxy.Contains('/')) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                else forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
    }

    /// <summary>
    /// The security headers of an API answer, set before it is written: no nonce to make (the API serves no script) and
    /// no callback to register, which matter on a path every gateway call takes.
    /// </summary>
    public static void SetApiHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ApiContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    public static void UseControlPanelWebSecurity(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (ApiStatusCodes.IsApi(context))
            {
                SetApiHeaders(context.Response.Headers);
                return next(context);
            }
            // Letters and digits only (about 143 random bits): a base64 "+" or "/" is HTML-encoded in the page's nonce attribute.
            var nonce = RandomNumberGenerator.GetString(NonceAlphabet, 24);
            context.Items[NonceKey] = nonce;
            // Set as the response starts so error pages and re-executed status pages carry them too.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
                headers.XContentTypeOptions = "nosniff";
                // Invitation and reset tokens travel in URLs: never pass them on to another site.
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next(context);
        });
        // The API reads forwarded facts itself (CheckRequestReader: the gateway stays the connection, the client is
        // named), so only the UI's requests are rewritten to the client's address and scheme.
        app.UseWhen(context => !ApiStatusCodes.IsApi(context), ui => ui.UseForwardedHeaders());
        if (!app.Environment.IsDevelopment()) app.UseHsts();
    }
}
