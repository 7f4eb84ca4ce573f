using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Sends one attempt of a delivery and says what came of it: the signed request (Standard Webhooks headers, the body with
/// its verification secret) and the classification of the answer or failure. The dispatcher decides when to send and
/// records the result; the classification is tested on its own, without a database or a receiver.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, WebhookSecrets secrets, TimeProvider clock)
{
    public sealed record AttemptResult(WebhookAttemptOutcome Outcome, int? HttpStatus, string? ResponseBody, string? Error);

    /// <summary>Sends one attempt: the signed body to the endpoint, within the timeout; a receiver's failure is a result, not an exception.</summary>
    public async Task<AttemptResult> SendAsync(
        WebhookDelivery delivery, WebhookEvent webhookEvent, WebhookEndpoint endpoint, WebhookOptions settings, CancellationToken stopping)
    {
        if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || (url.Scheme == "http" && !settings.AllowHttp) || url.Scheme is not ("http" or "https"))
            return new(WebhookAttemptOutcome.Blocked, null, null, "Not sent: the URL must use HTTPS.");

        var now = clock.GetUtcNow();
        List<string> signingSecrets;
        string verification;
        try
        {
            signingSecrets = [secrets.Unprotect(endpoint.ProtectedSecret)];
            if (endpoint.PreviousSecretSigns(now.UtcDateTime)) signingSecrets.Add(secrets.Unprotect(endpoint.ProtectedPreviousSecret!));
            verification = endpoint.ProtectedVerificationSecret is { } protectedVerification
                ? secrets.UnprotectVerification(protectedVerification)
                : endpoint.SecretId; // added before verification secrets: the field keeps what it carried then
        }
        catch (CryptographicException)
        {
            return new(WebhookAttemptOutcome.Error, null, null,
                "Not sent: a secret cannot be decrypted (Data Protection keys missing); rotate the signing secret and set the verification secret again.");
        }

        var body = WebhookOutbox.Body(webhookEvent.Name, verification, webhookEvent.DataJson);
        var messageId = delivery.Id.ToString();
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdHeader, messageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(signingSecrets, messageId, timestamp, body));
        request.Headers.Add(WebhookSignature.EventHeader, webhookEvent.Name);
        request.Headers.Add(WebhookSignature.AttemptHeader, (delivery.Attempts + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.UserAgent.ParseAdd("ControlPanel-Webhooks/1.0");

        using var timeout = new CancellationTokenSource(settings.Timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            var client = httpClients.CreateClient(WebhookHttp.ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var text = Redact(await ReadStartAsync(response, linked.Token), [verification, .. signingSecrets]);
            return Classify((int)response.StatusCode, response.ReasonPhrase, text);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new(WebhookAttemptOutcome.Timeout, null, null, $"Timeout: no complete answer within {settings.Timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException e)
        {
            return Classify(e);
        }
    }

    public const string Redacted = "[redacted]";

    /// <summary>
    /// The answer with every secret the request carried or was signed with replaced by <see cref="Redacted"/>, before it is stored
    /// (and shown to Support): a receiver that echoes the body would otherwise hand back the verification secret. A signing secret
    /// is matched with and without its <c>whsec_</c> prefix, and a secret cut off by the 4 KB limit is cut from the end too.
    /// </summary>
    internal static string Redact(string text, IReadOnlyList<string> secrets)
    {
        var forms = secrets.Where(s => s.Length > 0)
            .SelectMany(s => s.StartsWith(WebhookSecrets.SecretPrefix, StringComparison.Ordinal) ? [s, s[WebhookSecrets.SecretPrefix.Length..]] : new[] { s })
            .OrderByDescending(s => s.Length).ToList();
        foreach (var secret in forms) text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        const int shortestTail = 4; // a shorter tail is too likely to be ordinary text
        foreach (var secret in forms)
            for (var length = Math.Min(secret.Length - 1, text.Length); length >= shortestTail; length--)
                if (text.EndsWith(secret[..length], StringComparison.Ordinal)) return text[..^length] + Redacted;
        return text;
    }

    /// <summary>The first 4 KB of the answer, as text.</summary>
    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[WebhookAttempt.ResponseBodyMaxBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) break;
            read += n;
        }
        return WebhookOutbox.DecodeStart(buffer.AsSpan(0, read));
    }

    /// <summary>What an answer means: delivered for any 2xx, otherwise an HTTP error to retry.</summary>
    internal static AttemptResult Classify(int status, string? reasonPhrase, string responseStart) => status is >= 200 and < 300
        ? new(WebhookAttemptOutcome.Delivered, status, responseStart, null)
        : new(WebhookAttemptOutcome.HttpError, status, responseStart, $"HTTP {status} {reasonPhrase}".TrimEnd());

    /// <summary>What a failure to get an answer means, from the innermost cause that says (address refused, TLS, DNS, refused, timeout).</summary>
    internal static AttemptResult Classify(HttpRequestException error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case WebhookAddressRefusedException refused:
                    return new(WebhookAttemptOutcome.Blocked, null, null, "Not sent: " + refused.Message);
                case AuthenticationException tls:
                    return new(WebhookAttemptOutcome.Tls, null, null, "TLS: " + tls.Message);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } dns:
                    return new(WebhookAttemptOutcome.Dns, null, null, "DNS: " + dns.Message);
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused } refused:
                    return new(WebhookAttemptOutcome.Refused, null, null, "Connection refused: " + refused.Message);
                case TimeoutException:
                    return new(WebhookAttemptOutcome.Timeout, null, null, "Timeout: could not connect in time.");
            }
        }
        return error.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new(WebhookAttemptOutcome.Dns, null, null, "DNS: " + error.Message),
            HttpRequestError.SecureConnectionError => new(WebhookAttemptOutcome.Tls, null, null, "TLS: " + error.Message),
            HttpRequestError.ConnectionError => new(WebhookAttemptOutcome.Refused, null, null, "Connection failed: " + error.Message),
            _ => new(WebhookAttemptOutcome.Error, null, null, error.Message),
        };
    }
}
