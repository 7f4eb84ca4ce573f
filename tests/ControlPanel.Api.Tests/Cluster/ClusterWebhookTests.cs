using ControlPanel.Tests;
using Microsoft.AspNetCore.Http;

namespace ControlPanel.Api.Tests.Cluster;

/// <summary>
/// Webhook delivery with every instance of a cluster running the delivery worker over the same
/// outbox: the database leases let exactly one instance make each attempt.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterWebhookTests(ClusterCollection.ThreeInstances cluster)
{
    [Fact]
    public async Task Each_event_reaches_the_receiver_once_when_every_instance_runs_the_delivery_worker()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var application = await ApplicationWithEndpointAsync(receiver.Url);

        var events = await ClusterWebhooks.PostEventsAsync(cluster, application.Application, 30);
        var outcome = await ClusterWebhooks.WaitUntilFinishedAsync(cluster, application.EndpointId, events.Count);

        ClusterWebhooks.AssertEachEventDeliveredOnce(outcome, events);
        Assert.All(outcome.Deliveries, delivery => Assert.Equal(1, delivery.Attempts));
        // One receipt per delivery, as its first attempt.
        Assert.Equal(outcome.Deliveries.Select(d => d.Id.ToString()).Order(), receiver.Requests.Select(r => r.Id).Order());
        Assert.All(receiver.Requests, receipt => Assert.Equal(1, receipt.Attempt));
    }

    [Fact]
    public async Task A_failed_first_attempt_is_retried_once_so_the_receiver_gets_attempts_1_and_2()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Answer = (_, context) =>
        {
            if (context.Request.Headers["Webhook-Attempt"] == "1") context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return context.Response.WriteAsync("ok");
        };
        var application = await ApplicationWithEndpointAsync(receiver.Url);

        var events = await ClusterWebhooks.PostEventsAsync(cluster, application.Application, 12);
        var outcome = await ClusterWebhooks.WaitUntilFinishedAsync(cluster, application.EndpointId, events.Count);

        ClusterWebhooks.AssertEachEventDeliveredOnce(outcome, events);
        Assert.All(outcome.Deliveries, delivery => Assert.Equal(2, delivery.Attempts));
        Assert.All(outcome.Attempts.Where(a => a.Number == 1), attempt => Assert.Equal(500, attempt.HttpStatus));
        // Exactly two receipts per delivery, numbered 1 then 2, whichever instances made them.
        var receipts = receiver.Requests.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Select(r => r.Attempt).Order().ToList());
        Assert.Equal(outcome.Deliveries.Select(d => d.Id.ToString()).Order(), receipts.Keys.Order());
        Assert.All(receipts.Values, attempts => Assert.Equal([1, 2], attempts));
    }

    private async Task<(ControlPanelFactory.TestApplication Application, Guid EndpointId)> ApplicationWithEndpointAsync(string url)
    {
        var application = await cluster.CreateApplicationAsync();
        var endpointId = await cluster.CreateEndpointAsync(application, url);
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid);
        return (application, endpointId);
    }
}
