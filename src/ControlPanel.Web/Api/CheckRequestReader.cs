using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Requests;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ControlPanel.Web.Api;

/// <summary>
/// Reads an HTTP request into a <see cref="CheckRequest"/>: credentials (APPLICATIONKEY and
/// CONSUMERKEY headers, HTTP Basic, Bearer), and the client's address, origin and scheme.
/// Forwarded facts (X-Forwarded-For, X-Real-IP, X-Forwarded-Proto, and the client call's method and URI that name its
/// resource) are believed only from a configured trusted proxy; X-ControlPanel-Counted only when that proxy also sends the
/// configured gateway secret.
/// </summary>
public sealed class CheckRequestReader(IOptions<ApiOptions> options)
{
    public const string ApplicationKeyHeader = "APPLICATIONKEY";
    public const string ConsumerKeyHeader = "CONSUMERKEY";
    /// <summary>The Subiz guide's single-key header; here it carries the whole pair (see <see cref="SplitPair"/>).</summary>
    public const string ApiKeyHeader = "api-key";
    /// <summary>Set by the gateway: "false" for calls that do not count towards the monthly quota (the older way: the catalogue says it per resource).</summary>
    public const string CountedHeader = "X-ControlPanel-Counted";
    /// <summary>Set by the gateway: "true" for resources that need a session, 194 without a Bearer token (the older way: the catalogue says it per resource).</summary>
    public const string SessionRequiredHeader = "X-ControlPanel-Session-Required";
    /// <summary>The client call's method and URI as Traefik's ForwardAuth sends them.</summary>
    public const string ForwardedMethodHeader = "X-Forwarded-Method";
    /// <inheritdoc cref="ForwardedMethodHeader"/>
    public const string ForwardedUriHeader = "X-Forwarded-Uri";
    /// <summary>The client call's method and URI as the nginx sample sends them (<c>$request_method</c>, <c>$request_uri</c>).</summary>
    public const string OriginalMethodHeader = "X-Original-Method";
    /// <inheritdoc cref="OriginalMethodHeader"/>
    public const string OriginalUriHeader = "X-Original-URI";
    /// <summary>Set by the gateway: <see cref="ApiOptions.GatewaySecret"/>, proving it (not its client) set the counted header.</summary>
    public const string GatewaySecretHeader = "X-ControlPanel-Gateway-Secret";

    // Two 32-character keys and a colon in Base64 are 88 characters; anything far longer is not credentials.
    private const int MaxBasicLength = 256;

    private readonly OriginAllowlist? _trustedProxies = options.Value.CompileTrustedProxies();

    // Compared as hashes so the comparison takes the same time whatever the length of what was sent.
    private readonly byte[]? _gatewaySecretHash = string.IsNullOrEmpty(options.Value.GatewaySecret)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.GatewaySecret));

    public CheckRequest Read(HttpContext context) => Read(context, ownCall: false, ownPath: null);

    /// <summary>
    /// A call that is the request itself (Envoy's ext_authz, a proxied call in gateway mode): its own method and
    /// <paramref name="path"/> name the resource, not forwarded headers.
    /// </summary>
    public CheckRequest ReadOwnCall(HttpContext context, string? path) => Read(context, ownCall: true, ownPath: path);

    private CheckRequest Read(HttpContext context, bool ownCall, string? ownPath)
    {
        var request = context.Request;
        var remote = Normalise(context.Connection.RemoteIpAddress);
        var trusted = IsTrustedProxy(remote);
        var credentials = ReadCredentials(request.Headers);
        var (method, path) = ownCall ? (request.Method, ownPath) : trusted ? ForwardedCall(request.Headers) : (null, null);
        return new CheckRequest
        {
            Method = method,
            Path = path,
            ApplicationKey = credentials.ApplicationKey,
            ConsumerKey = credentials.ConsumerKey,
            SessionToken = credentials.SessionToken,
            MalformedCredentials = credentials.Malformed,
            ClientIp = trusted ? ForwardedClient(request.Headers, remote) : remote,
            Origin = Single(request.Headers.Origin),
            IsHttps = request.IsHttps || (trusted && IsForwardedHttps(request.Headers)),
            // Only the gateway may exempt a call from the quota: a trusted proxy that also knows the secret.
            // Some gateways forward every client header, so a trusted address alone proves nothing.
            Counted = !(trusted && IsFalse(request.Headers[CountedHeader]) && HasGatewaySecret(request.Headers)),
            SessionRequired = IsTrue(request.Headers[SessionRequiredHeader]),
        };
    }

    /// <summary>
    /// A call <see cref="Read(HttpContext)"/> has read, with credentials that may also come in a body (verify's
    /// <c>applicationKey</c>, <c>consumerKey</c>, <c>token</c>): read by the same rules, and
    /// credentials both in headers and in the body are ambiguous (102) like keys in headers and Basic.
    /// </summary>
    public static CheckRequest WithBodyCredentials(CheckRequest fromHeaders, string? bodyApplicationKey, string? bodyConsumerKey, string? bodyToken)
    {
        var applicationKey = Trimmed(bodyApplicationKey);
        var consumerKey = Trimmed(bodyConsumerKey);
        var token = bodyToken?.Trim();
        if (applicationKey is null && consumerKey is null && token is null) return fromHeaders;
        var headersCarryCredentials = fromHeaders.MalformedCredentials || fromHeaders.ApplicationKey is not null
            || fromHeaders.ConsumerKey is not null || fromHeaders.SessionToken is not null;
        if (headersCarryCredentials)
            return fromHeaders with { ApplicationKey = null, ConsumerKey = null, SessionToken = null, MalformedCredentials = true };
        return fromHeaders with { ApplicationKey = applicationKey, ConsumerKey = consumerKey, SessionToken = token };
    }

    public bool IsTrustedProxy(HttpContext context) => IsTrustedProxy(Normalise(context.Connection.RemoteIpAddress));

    /// <summary>May this call exempt itself from the quota? Only a trusted proxy sending the gateway secret; never when no secret is configured.</summary>
    public bool MayExemptFromQuota(HttpContext context) => IsTrustedProxy(context) && HasGatewaySecret(context.Request.Headers);

    private bool HasGatewaySecret(IHeaderDictionary headers)
    {
        if (_gatewaySecretHash is null) return false;
        var sent = headers[GatewaySecretHeader];
        if (sent.Count != 1 || string.IsNullOrEmpty(sent[0])) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent[0]!)), _gatewaySecretHash);
    }

    private bool IsTrustedProxy(IPAddress? remote) => remote is not null && _trustedProxies is not null && _trustedProxies.Allows(remote, null);

    private readonly record struct Credentials(string? ApplicationKey, string? ConsumerKey, string? SessionToken, bool Malformed);

    private static Credentials ReadCredentials(IHeaderDictionary headers)
    {
        var applicationKeys = headers[ApplicationKeyHeader];
        var consumerKeys = headers[ConsumerKeyHeader];
        var apiKeys = headers[ApiKeyHeader];
        var authorizations = headers.Authorization;
        // A header sent twice is ambiguous: which key is meant?
        if (applicationKeys.Count > 1 || consumerKeys.Count > 1 || apiKeys.Count > 1 || authorizations.Count > 1) return new(null, null, null, true);

        var applicationKey = Trimmed(applicationKeys);
        var consumerKey = Trimmed(consumerKeys);
        if (Trimmed(apiKeys) is { } apiKey)
        {
            // The pair in one header, or the keys in two headers: not both.
            if (applicationKey is not null || consumerKey is not null || !SplitPair(apiKey, out applicationKey, out consumerKey))
                return new(null, null, null, true);
        }
        var authorization = authorizations.Count == 1 ? authorizations[0]!.AsSpan().Trim() : default;
        if (authorization.IsEmpty) return new(applicationKey, consumerKey, null, false);

        if (StartsWithScheme(authorization, "Bearer"))
            return new(applicationKey, consumerKey, authorization[6..].Trim().ToString(), false);

        if (StartsWithScheme(authorization, "Basic"))
        {
            // Keys both in headers and in Basic credentials are ambiguous too.
            if (applicationKey is not null || consumerKey is not null) return new(null, null, null, true);
            if (!TryReadBasic(authorization[5..].Trim(), out var user, out var password)) return new(null, null, null, true);
            // The Subiz form: the key as the user name, no password. Here that key is the whole pair.
            if (password is null && user is not null && !SplitPair(user, out user, out password)) return new(null, null, null, true);
            return new(user, password, null, false);
        }
        return new(null, null, null, true);
    }

    /// <summary>
    /// The Subiz guide's single API key, mapped onto a key pair without weakening it: the value must carry both keys,
    /// as <c>APPLICATIONKEY:CONSUMERKEY</c> or the 64 characters of the two written together. A lone application key
    /// (32 characters) is read as just that, so the check answers 202 MISSING CONSUMER KEY: accepting half a pair would
    /// halve the secret. Anything else is unreadable (102).
    /// </summary>
    internal static bool SplitPair(string value, out string? applicationKey, out string? consumerKey)
    {
        applicationKey = consumerKey = null;
        var colon = value.IndexOf(':');
        if (colon >= 0)
        {
            applicationKey = Trimmed(value[..colon]);
            consumerKey = Trimmed(value[(colon + 1)..]);
            return true;
        }
        if (value.Length == 2 * ControlPanel.Domain.Keys.ApiKey.Length)
        {
            (applicationKey, consumerKey) = (value[..ControlPanel.Domain.Keys.ApiKey.Length], value[ControlPanel.Domain.Keys.ApiKey.Length..]);
            return true;
        }
        if (value.Length != ControlPanel.Domain.Keys.ApiKey.Length) return false;
        applicationKey = value;
        return true;
    }

    private static bool StartsWithScheme(ReadOnlySpan<char> authorization, string scheme) =>
        authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
        && (authorization.Length == scheme.Length || authorization[scheme.Length] == ' ');

    /// <summary>user:password in Base64, ASCII only; the user name is the application key, the password the consumer key.</summary>
    private static bool TryReadBasic(ReadOnlySpan<char> encoded, out string? user, out string? password)
    {
        user = password = null;
        if (encoded.IsEmpty || encoded.Length > MaxBasicLength) return false;
        Span<byte> bytes = stackalloc byte[MaxBasicLength];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var written)) return false;
        bytes = bytes[..written];
        if (!Ascii.IsValid(bytes)) return false;
        foreach (var b in bytes)
            if (b < 0x20 || b == 0x7f) return false;
        var colon = bytes.IndexOf((byte)':');
        var userBytes = colon < 0 ? bytes : bytes[..colon];
        var passwordBytes = colon < 0 ? [] : bytes[(colon + 1)..];
        user = userBytes.IsEmpty ? null : Encoding.ASCII.GetString(userBytes);
        password = passwordBytes.IsEmpty ? null : Encoding.ASCII.GetString(passwordBytes);
        return true;
    }

    /// <summary>
    /// The client behind the trusted proxies: X-Forwarded-For read from the right, skipping trusted
    /// hops; or X-Real-IP; or the proxy itself when neither names anyone.
    /// </summary>
    private IPAddress? ForwardedClient(IHeaderDictionary headers, IPAddress? remote)
    {
        var forwardedFor = headers["X-Forwarded-For"];
        if (forwardedFor.Count > 0)
        {
            var client = remote;
            for (var v = forwardedFor.Count - 1; v >= 0; v--)
            {
                var hops = (forwardedFor[v] ?? "").AsSpan();
                while (!hops.IsEmpty)
                {
                    var comma = hops.LastIndexOf(',');
                    var hop = hops[(comma + 1)..].Trim();
                    hops = comma < 0 ? default : hops[..comma];
                    if (!TryParseHop(hop, out var address)) return client;
                    client = address;
                    if (!IsTrustedProxy(address)) return client;
                }
            }
            return client;
        }
        return TryParseHop(Single(headers["X-Real-IP"]), out var real) ? real : remote;
    }

    /// <summary>The client call's method and URI: Traefik's headers, else nginx's; none (the default resource) when neither is sent.</summary>
    private static (string? Method, string? Path) ForwardedCall(IHeaderDictionary headers)
    {
        if (Single(headers[ForwardedUriHeader]) is { Length: > 0 } traefik) return (Single(headers[ForwardedMethodHeader]), traefik);
        if (Single(headers[OriginalUriHeader]) is { Length: > 0 } nginx) return (Single(headers[OriginalMethodHeader]), nginx);
        return (null, null);
    }

    private static bool TryParseHop(ReadOnlySpan<char> hop, out IPAddress? address)
    {
        address = null;
        if (hop.IsEmpty) return false;
        // "[2001:db8::1]:443" and "203.0.113.7:5000" carry a port; a bare IPv6 address has several colons.
        if (hop[0] == '[')
        {
            var close = hop.IndexOf(']');
            if (close < 0) return false;
            hop = hop[1..close];
        }
        else if (hop.Count(':') == 1)
        {
            hop = hop[..hop.IndexOf(':')];
        }
        if (!IPAddress.TryParse(hop, out var parsed)) return false;
        address = Normalise(parsed);
        return true;
    }

    /// <summary>The scheme set by the proxy nearest to us (the last value).</summary>
    private static bool IsForwardedHttps(IHeaderDictionary headers)
    {
        var proto = headers["X-Forwarded-Proto"];
        if (proto.Count == 0) return false;
        var last = (proto[^1] ?? "").AsSpan();
        var comma = last.LastIndexOf(',');
        return last[(comma + 1)..].Trim().Equals("https", StringComparison.OrdinalIgnoreCase);
    }

    private static IPAddress? Normalise(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private static string? Trimmed(StringValues values) => values.Count == 1 ? Trimmed(values[0]) : null;

    private static string? Trimmed(string? value) => value?.Trim() is { Length: > 0 } t ? t : null;

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    private static bool IsFalse(StringValues values) => values.Count == 1 && values[0]!.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool IsTrue(StringValues values) => values.Count == 1 && values[0]!.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
}
