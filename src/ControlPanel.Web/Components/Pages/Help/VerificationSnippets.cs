namespace ControlPanel.Web.Components.Pages.Help;

/// <summary>
/// Receiver code that verifies a delivery's signature (<see cref="ControlPanel.Domain.Webhooks.WebhookSignature"/>):
/// HMAC-SHA-256 keyed with the UTF-8 secret over "{Webhook-Id}.{Webhook-Timestamp}.{raw body}", "v1=" + lowercase hex,
/// any of several space-separated signatures, compared in constant time, timestamps within 5 minutes.
/// The component tests run each one against signatures made by the domain.
/// </summary>
public static class VerificationSnippets
{
    public const string CSharp = """
        using System.Security.Cryptography;
        using System.Text;

        static bool VerifyWebhook(string secret, string id, string timestamp, byte[] body, string signatureHeader)
        {
            // Reject deliveries signed more than 5 minutes away from now: a captured one cannot be replayed later.
            if (!long.TryParse(timestamp, out var seconds)
                || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300) return false;
            var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
            var expected = Encoding.ASCII.GetBytes("v1=" + Convert.ToHexStringLower(
                HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
            // Several signatures may come, space-separated: accept if any matches, compared in constant time.
            return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(candidate =>
                CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
        }
        """;

    public const string CSharpUsage = """
        // ASP.NET Core minimal API: read the raw body, verify, then parse.
        app.MapPost("/webhooks/controlpanel", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var headers = request.Headers;
            if (!VerifyWebhook(secret, headers["Webhook-Id"].ToString(), headers["Webhook-Timestamp"].ToString(),
                    buffer.ToArray(), headers["Webhook-Signature"].ToString()))
                return Results.Unauthorized();
            // De-duplicate on Webhook-Id, queue the work, and answer at once.
            return Results.Ok();
        });
        """;

    public const string Node = """
        const crypto = require("node:crypto");

        function verifyWebhook(secret, id, timestamp, rawBody, signatureHeader) {
          // Reject deliveries signed more than 5 minutes away from now: a captured one cannot be replayed later.
          const seconds = Number(timestamp);
          if (!Number.isInteger(seconds) || Math.abs(Date.now() / 1000 - seconds) > 300) return false;
          const expected = Buffer.from("v1=" + crypto.createHmac("sha256", secret)
            .update(`${id}.${timestamp}.`).update(rawBody).digest("hex"));
          // Several signatures may come, space-separated: accept if any matches, compared in constant time.
          return (signatureHeader || "").split(" ").some((candidate) => {
            const given = Buffer.from(candidate);
            return given.length === expected.length && crypto.timingSafeEqual(given, expected);
          });
        }
        """;

    public const string NodeUsage = """
        // Express: keep the raw body (a Buffer), verify, then parse.
        app.post("/webhooks/controlpanel", express.raw({ type: "application/json" }), (req, res) => {
          if (!verifyWebhook(process.env.WEBHOOK_SECRET, req.get("Webhook-Id"), req.get("Webhook-Timestamp"),
                             req.body, req.get("Webhook-Signature"))) {
            return res.sendStatus(401);
          }
          const event = JSON.parse(req.body);
          // De-duplicate on Webhook-Id, queue the work, and answer at once.
          res.sendStatus(200);
        });
        """;

    public const string Python = """
        import hashlib
        import hmac
        import time

        def verify_webhook(secret: str, message_id: str, timestamp: str, body: bytes, signature_header: str) -> bool:
            # Reject deliveries signed more than 5 minutes away from now: a captured one cannot be replayed later.
            try:
                seconds = int(timestamp)
            except (TypeError, ValueError):
                return False
            if abs(time.time() - seconds) > 300:
                return False
            signed = f"{message_id}.{timestamp}.".encode() + body
            expected = ("v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()).encode()
            # Several signatures may come, space-separated: accept if any matches, compared in constant time.
            return any(hmac.compare_digest(candidate.encode(), expected) for candidate in (signature_header or "").split())
        """;

    public const string PythonUsage = """
        # Flask: verify the raw body, then parse.
        @app.post("/webhooks/controlpanel")
        def controlpanel_webhook():
            if not verify_webhook(os.environ["WEBHOOK_SECRET"], request.headers.get("Webhook-Id", ""),
                                  request.headers.get("Webhook-Timestamp", ""), request.get_data(),
                                  request.headers.get("Webhook-Signature", "")):
                abort(401)
            event = request.get_json()
            # De-duplicate on Webhook-Id, queue the work, and answer at once.
            return "", 200
        """;
}
