using System.Diagnostics;
using ControlPanel.Domain.Webhooks;
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

    /// <summary>
    /// What a healthy endpoint's deliveries may wait with a dead endpoint's backlog due before them: with fair dispatch,
    /// their own turn (a 100 ms poll and an attempt each) and nothing more; oldest-first would keep them behind the
    /// backlog, whose attempts each hold a slot for the whole 30-second timeout. Generous for a loaded machine.
    /// </summary>
    private static readonly TimeSpan HealthyBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_dead_endpoints_backlog_does_not_delay_other_accounts_deliveries_on_any_instance()
    {
        await using var dead = await TestReceiver.StartAsync();
        dead.Answer = (_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted);
        await using var healthy = await TestReceiver.StartAsync();
        var backlog = await ApplicationWithEndpointAsync(dead.Url);
        try
        {
            // More than the 60 oldest due deliveries the dispatcher once read in one pass, all the dead endpoint's.
            await ClusterWebhooks.PostEventsAsync(cluster, backlog.Application, 90);
            // The dead endpoint holds attempts open: from here on oldest-first would hand it every free slot.
            await Eventually.TrueAsync(() => dead.Requests.Count >= 4, "the dead endpoint's first attempts");
            var others = new List<(ControlPanelFactory.TestApplication Application, Guid EndpointId)>();
            for (var i = 0; i < 5; i++) others.Add(await ApplicationWithEndpointAsync(healthy.Url));

            var waited = Stopwatch.StartNew();
            var posted = new List<IReadOnlyList<Guid>>();
            foreach (var other in others) posted.Add(await ClusterWebhooks.PostEventsAsync(cluster, other.Application, 4));
            for (var i = 0; i < others.Count; i++)
            {
                var outcome = await ClusterWebhooks.WaitUntilFinishedAsync(cluster, others[i].EndpointId, posted[i].Count, HealthyBound - waited.Elapsed);
                ClusterWebhooks.AssertEachEventDeliveredOnce(outcome, posted[i]);
            }
            Assert.InRange(waited.Elapsed, TimeSpan.Zero, HealthyBound);
        }
        finally
        {
            // The backlog would keep the instances busy for the tests after this one.
            await cluster.UseAsync<WebhookEndpointService>(endpoints => endpoints.DisableAsync(AppCluster.Admin, backlog.EndpointId));
        }
    }

    /// <summary>
    /// How much an attempt's recorded start may lag its claim, more than another's (a context made and the delivery read in
    /// between, on a loaded machine). The exact bound, no second holding more than the rate, is FairDispatchTests' (fake clock).
    /// </summary>
    private static readonly TimeSpan StartJitter = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task An_endpoints_throttle_and_concurrency_cap_hold_over_all_three_instances()
    {
        const int perSecond = 4, count = 20, cap = 4; // cap: the cluster's Webhooks:MaxConcurrencyPerEndpoint (the default)
        await using var receiver = await TestReceiver.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int open = 0, mostOpen = 0;
        // Holds every request until all events are posted, so a backlog builds that every instance tries to drain at once.
        receiver.Answer = async (_, context) =>
        {
            var now = Interlocked.Increment(ref open);
            lock (receiver) mostOpen = Math.Max(mostOpen, now);
            try
            {
                await release.Task.WaitAsync(context.RequestAborted);
                await context.Response.WriteAsync("ok");
            }
            finally
            {
                Interlocked.Decrement(ref open);
            }
        };
        var application = await cluster.CreateApplicationAsync();
        var endpoint = await cluster.UseAsync<WebhookEndpointService, IssuedSecret>(endpoints => endpoints.CreateAsync(AppCluster.Admin,
            new WebhookEndpointService.Form { Url = receiver.Url, Events = [WebhookEvents.ChatEnded], AccountId = application.AccountId, MaxDeliveriesPerSecond = perSecond }));
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid);

        var events = await ClusterWebhooks.PostEventsAsync(cluster, application, count);
        await Eventually.TrueAsync(() => Volatile.Read(ref open) == cap, "the endpoint's slots taken");
        var releasedAt = DateTime.UtcNow;
        release.SetResult();
        var outcome = await ClusterWebhooks.WaitUntilFinishedAsync(cluster, endpoint.EndpointId, events.Count, TimeSpan.FromSeconds(60));

        ClusterWebhooks.AssertEachEventDeliveredOnce(outcome, events);
        Assert.Equal(count, receiver.Requests.Count);
        // The cap of all three instances together: each keeping it alone would have held three times as many.
        Assert.Equal(cap, mostOpen);
        // The backlog drained at the rate, not at three times it: sixteen at four a second are four bursts a second apart.
        var drained = outcome.Attempts.Select(a => a.StartedAt).Where(t => t >= releasedAt).Order().ToList();
        Assert.Equal(count - cap, drained.Count);
        Assert.InRange(drained[^1] - drained[0], TimeSpan.FromSeconds((count - cap) / perSecond - 1) - StartJitter, TimeSpan.FromSeconds(60));
    }

    private async Task<(ControlPanelFactory.TestApplication Application, Guid EndpointId)> ApplicationWithEndpointAsync(string url)
    {
        var application = await cluster.CreateApplicationAsync();
        var endpointId = await cluster.CreateEndpointAsync(application, url);
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid);
        return (application, endpointId);
    }
}
