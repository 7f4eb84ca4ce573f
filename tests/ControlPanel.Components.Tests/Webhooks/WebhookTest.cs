using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Webhooks;

/// <summary>Endpoints and deliveries made through the domain, as an owner would make them.</summary>
public abstract class WebhookTest : ComponentTest
{
    /// <summary>A public address written as an IP, so saving it needs no DNS. Nothing is delivered: the test host runs no dispatcher.</summary>
    public const string PublicUrl = "https://93.184.215.14/hooks/controlpanel";

    protected Task<IssuedSecret> NewEndpointAsync(Viewer owner, string url = PublicUrl, params string[] events) =>
        UseAsync<WebhookEndpointService, IssuedSecret>(endpoints => endpoints.CreateAsync(owner, new WebhookEndpointService.Form
        {
            Url = url,
            Description = "Orders",
            Events = events.Length == 0 ? [WebhookEvents.ChatEnded] : [.. events],
        }));

    /// <summary>A test event queued for the endpoint: a pending delivery with no attempt yet.</summary>
    protected Task<Guid> NewDeliveryAsync(Viewer owner, Guid endpointId) =>
        UseAsync<WebhookEndpointService, Guid>(endpoints => endpoints.SendTestAsync(owner, endpointId));

    /// <summary>Records attempts as the dispatcher would (it does not run here): one failed or delivered attempt each.</summary>
    protected async Task RecordAttemptsAsync(Guid deliveryId, params WebhookAttemptOutcome[] outcomes)
    {
        var databases = Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>();
        await using var db = await databases.CreateDbContextAsync();
        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == deliveryId);
        var now = DateTime.UtcNow;
        foreach (var outcome in outcomes)
        {
            delivery.Attempts++;
            db.Add(new WebhookAttempt
            {
                DeliveryId = delivery.Id,
                EndpointId = delivery.EndpointId,
                Number = delivery.Attempts,
                StartedAt = now,
                DurationMs = 120,
                HttpStatus = outcome == WebhookAttemptOutcome.Delivered ? 200 : 500,
                Outcome = outcome,
                ResponseBody = outcome == WebhookAttemptOutcome.Delivered ? "thanks" : "oops",
            });
            delivery.LastAttemptAt = now;
            delivery.LastHttpStatus = outcome == WebhookAttemptOutcome.Delivered ? 200 : 500;
        }
        var delivered = outcomes.LastOrDefault() == WebhookAttemptOutcome.Delivered;
        delivery.Status = delivered ? WebhookDeliveryStatus.Delivered : WebhookDeliveryStatus.Failed;
        delivery.DeliveredAt = delivered ? now : null;
        delivery.NextAttemptAt = null;
        await db.SaveChangesAsync();
    }
}
