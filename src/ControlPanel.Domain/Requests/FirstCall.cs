using System.Net;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Requests;

/// <summary>
/// The first calls an owner makes from a terminal, written for this installation as the browser reached it so that they
/// work as shown: over HTTPS as they are; over plain HTTP when HTTPS is not required; over plain HTTP to this host's
/// loopback address when loopback is a trusted proxy, with the <c>X-Forwarded-Proto: https</c> a TLS-ending gateway would
/// send (the check believes it only from a trusted proxy). Any other plain-HTTP address answers 101, so no command is offered.
/// </summary>
public sealed class FirstCall(IOptions<ApiOptions> options)
{
    public const string ForwardedProtoHeader = "X-Forwarded-Proto: https";

    /// <summary>One step: what it does, the command, and a name for tests and the page.</summary>
    public sealed record Step(string Title, string Command, string Name);

    /// <summary>How this installation is reached from a terminal.</summary>
    /// <param name="ApiBase">The key-validation API's base address, ending in <c>/</c>.</param>
    /// <param name="Works">False when calls to this address are refused with 101 (plain HTTP, HTTPS required, no trusted proxy).</param>
    /// <param name="ForwardedProto">True when the commands carry <see cref="ForwardedProtoHeader"/>.</param>
    public sealed record Way(string ApiBase, bool Works, bool ForwardedProto)
    {
        /// <summary>The header arguments every command starts with (empty, or the forwarded scheme).</summary>
        public string Headers => ForwardedProto ? $"-H '{ForwardedProtoHeader}' " : "";
    }

    /// <summary>How a terminal on the machine that opened <paramref name="panelBase"/> reaches the API so that the calls work.</summary>
    public Way For(Uri panelBase)
    {
        var apiBase = new Uri(panelBase, "api/v1/").AbsoluteUri;
        var api = options.Value;
        if (panelBase.Scheme == Uri.UriSchemeHttps || !api.RequireHttps) return new Way(apiBase, true, false);
        var loopbackTrusted = LoopbackAddresses(panelBase) is { Count: > 0 } addresses
            && api.CompileTrustedProxies() is { } trusted && addresses.All(a => trusted.Allows(a, null));
        return new Way(apiBase, loopbackTrusted, loopbackTrusted);
    }

    /// <summary>The one command that checks a new key pair, with its keys written in: the call a gateway makes (200 when allowed).</summary>
    public string CheckCommand(Way way, string applicationKey, string consumerKey) =>
        $"curl -i {way.Headers}-H 'APPLICATIONKEY: {applicationKey}' -H 'CONSUMERKEY: {consumerKey}' {way.ApiBase}check";

    /// <summary>The getting-started steps with the keys as shell variables (the endpoints and headers of the key-validation API).</summary>
    public IReadOnlyList<Step> Steps(Way way) =>
    [
        new("1. Put your keys in the shell (replace the placeholders)", "export APPLICATIONKEY='your-application-key' CONSUMERKEY='your-consumer-key'", "curl-keys"),
        new("2. Check a call as a gateway does (200 with no body when it may proceed)",
            $"curl -i {way.Headers}-H \"APPLICATIONKEY: $APPLICATIONKEY\" -H \"CONSUMERKEY: $CONSUMERKEY\" {way.ApiBase}check", "curl-check"),
        new("3. Verify the keys as an SDK does (answers valid, quota and rate limit)",
            $"curl -X POST {way.Headers}{way.ApiBase}verify -H \"Content-Type: application/json\" -d \"{{\\\"applicationKey\\\": \\\"$APPLICATIONKEY\\\", \\\"consumerKey\\\": \\\"$CONSUMERKEY\\\"}}\"", "curl-verify"),
        new("4. Open a session (a Bearer token for 2 hours)",
            $"curl -X POST {way.Headers}-H \"APPLICATIONKEY: $APPLICATIONKEY\" -H \"CONSUMERKEY: $CONSUMERKEY\" {way.ApiBase}session", "curl-session"),
    ];

    /// <summary>
    /// The addresses a terminal's call to this host comes from when the host is this machine's loopback (curl to
    /// <c>localhost</c> may use either); none for any other host, whose callers' addresses are unknown here.
    /// </summary>
    private static IReadOnlyList<IPAddress> LoopbackAddresses(Uri panelBase)
    {
        if (panelBase.IsLoopback && panelBase.HostNameType == UriHostNameType.Dns) return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        return IPAddress.TryParse(panelBase.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address) ? [address] : [];
    }
}
