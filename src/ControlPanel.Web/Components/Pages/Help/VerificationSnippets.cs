namespace ControlPanel.Web.Components.Pages.Help;

/// <summary>
/// Receiver code that verifies a delivery (<see cref="ControlPanel.Domain.Webhooks.WebhookSignature"/>) with the Standard Webhooks
/// specification's published libraries: <c>StandardWebhooks</c> on NuGet, <c>standardwebhooks</c> on npm and PyPI. Each checks
/// the <c>webhook-signature</c> header (any of several space-separated signatures) in constant time and rejects timestamps more than
/// 5 minutes away. The component tests run each verifier against deliveries signed by the domain.
/// </summary>
public static class VerificationSnippets
{
    public const string CSharp = """
        // dotnet add package StandardWebhooks
        using Microsoft.AspNetCore.Http;
        using StandardWebhooks;
        using StandardWebhooks.Diagnostics;

        // The endpoint's signing secret, "whsec_…", from your configuration.
        var webhook = new StandardWebhook(signingSecret);

        // StandardWebhooks 1.1.2 checks only the first of several signatures, so each is offered on its own:
        // while a rotated signing secret overlaps, a delivery carries one signature per secret.
        static bool IsGenuine(StandardWebhook webhook, string body, IHeaderDictionary headers) =>
            headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature =>
            {
                var one = new HeaderDictionary(headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase))
                {
                    ["webhook-signature"] = signature,
                };
                try { webhook.Verify(body, one); return true; }
                catch (WebhookVerificationException) { return false; }
            });
        """;

    public const string CSharpUsage = """
        // ASP.NET Core minimal API: read the raw body, verify, then parse.
        app.MapPost("/webhooks/controlpanel", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            if (!IsGenuine(webhook, body, request.Headers)) return Results.Unauthorized();
            // De-duplicate on webhook-id, queue the work, and answer at once.
            return Results.Ok();
        });
        """;

    public const string Node = """
        // npm install standardwebhooks
        const { Webhook } = require("standardwebhooks");

        // The endpoint's signing secret, "whsec_…".
        const webhook = new Webhook(process.env.WEBHOOK_SECRET);

        function isGenuine(rawBody, headers) {
          try { webhook.verify(rawBody, headers); return true; } catch { return false; }
        }
        """;

    public const string NodeUsage = """
        // Express: keep the raw body (a Buffer), verify, then parse.
        app.post("/webhooks/controlpanel", express.raw({ type: "application/json" }), (req, res) => {
          if (!isGenuine(req.body, req.headers)) return res.sendStatus(401);
          const event = JSON.parse(req.body);
          // De-duplicate on webhook-id, queue the work, and answer at once.
          res.sendStatus(200);
        });
        """;

    public const string Python = """
        # pip install standardwebhooks
        import os
        from standardwebhooks.webhooks import Webhook

        # The endpoint's signing secret, "whsec_…".
        webhook = Webhook(os.environ["WEBHOOK_SECRET"])

        def is_genuine(body: bytes, headers) -> bool:
            try:
                webhook.verify(body, dict(headers))
                return True
            except Exception:
                return False
        """;

    public const string PythonUsage = """
        # Flask: verify the raw body, then parse.
        @app.post("/webhooks/controlpanel")
        def controlpanel_webhook():
            if not is_genuine(request.get_data(), request.headers):
                abort(401)
            event = request.get_json()
            # De-duplicate on webhook-id, queue the work, and answer at once.
            return "", 200
        """;
}
