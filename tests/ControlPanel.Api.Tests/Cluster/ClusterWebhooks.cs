using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Api.Tests.Cluster;

/// <summary>Raising the platform's events through a cluster's instances, and reading back what became of them.</summary>
internal static class ClusterWebhooks
{
    /// <summary>Posts <paramref name="count"/> chat_ended events, each to the next instance in turn; returns their ids.</summary>
    public static async Task<IReadOnlyList<Guid>> PostEventsAsync(AppCluster cluster, ControlPanelFactory.TestApplication application, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            using var request = ApiRequests.Check(application, path: "/api/v1/webhooks/events").WithMethod(HttpMethod.Post);
            request.Content = JsonContent.Create(new { event_name = WebhookEvents.ChatEnded, data = new { chat_id = $"c-{i}" } });
            using var response = await cluster.Clients[i % cluster.Clients.Count].SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.ReadJsonAsync()).GetProperty("event_id").GetGuid());
        }
        return ids;
    }

    public sealed record Outcome(IReadOnlyList<WebhookDelivery> Deliveries, IReadOnlyList<WebhookAttempt> Attempts);

    /// <summary>Waits until the endpoint has <paramref name="count"/> deliveries, all finished; returns them and their attempts.</summary>
    public static async Task<Outcome> WaitUntilFinishedAsync(AppCluster cluster, Guid endpointId, int count, TimeSpan? patience = null)
    {
        List<WebhookDelivery> deliveries = [];
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await cluster.DatabasesAsync();
            deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).ToListAsync();
            return deliveries.Count >= count && deliveries.All(d => d.IsFinished);
        }, () => $"{count} deliveries finished ({deliveries.Count(d => d.IsFinished)} were)\n{cluster.Output}", patience);
        await using var db = await cluster.DatabasesAsync();
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.EndpointId == endpointId).ToListAsync();
        return new Outcome(deliveries, attempts);
    }

    /// <summary>
    /// Nothing lost, nothing doubled: each event became exactly one delivery, every delivery was
    /// delivered, and its attempt records are numbered 1, 2, ... with only the last one a success.
    /// </summary>
    public static void AssertEachEventDeliveredOnce(Outcome outcome, IReadOnlyList<Guid> eventIds)
    {
        Assert.Equal(eventIds.Order(), outcome.Deliveries.Select(d => d.EventId).Order());
        foreach (var delivery in outcome.Deliveries)
        {
            Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
            var attempts = outcome.Attempts.Where(a => a.DeliveryId == delivery.Id).OrderBy(a => a.Number).ToList();
            Assert.Equal(Enumerable.Range(1, delivery.Attempts), attempts.Select(a => a.Number));
            Assert.True(attempts[^1].Succeeded);
            Assert.DoesNotContain(attempts[..^1], a => a.Succeeded);
        }
    }
}
