using System.Diagnostics;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace ControlPanel.Api.Tests.Cluster;

/// <summary>An instance killed in the middle of a webhook delivery: the others finish its work and nothing is lost.</summary>
[Collection(ClusterFailoverCollection.Name)]
public sealed class ClusterFailoverTests(ClusterFailoverTests.ThreeInstances cluster, ITestOutputHelper output) : IClassFixture<ClusterFailoverTests.ThreeInstances>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>How long an attempt holds its delivery (WebhookOptions.Lease): a dead instance's delivery waits this long.</summary>
    private static readonly TimeSpan Lease = 2 * Timeout + TimeSpan.FromSeconds(5);

    public sealed class ThreeInstances() : AppCluster(3, new Dictionary<string, string>(ClusterCollection.WebhookSettings)
    {
        // Short, so the lease a dead instance leaves behind runs out soon.
        ["Webhooks:Timeout"] = Timeout.ToString(),
        // One attempt at a time per instance, and room for all three at the endpoint (its cap holds over all instances): three
        // held at once are one on each instance.
        ["Webhooks:MaxConcurrency"] = "1",
        ["Webhooks:MaxConcurrencyPerEndpoint"] = "3",
    });

    [Fact]
    public async Task An_instance_killed_mid_delivery_loses_nothing_its_delivery_is_completed_by_another_after_the_lease()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        // Holds every request until released, so each instance is caught in the middle of an attempt.
        receiver.Answer = async (_, context) =>
        {
            Interlocked.Increment(ref held);
            try
            {
                await release.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the sender died or gave up
            }
            finally
            {
                Interlocked.Decrement(ref held);
            }
            await context.Response.WriteAsync("ok");
        };
        var application = await cluster.CreateApplicationAsync();
        var endpointId = await cluster.CreateEndpointAsync(application, receiver.Url);
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid);

        var events = await ClusterWebhooks.PostEventsAsync(cluster, application, 6);
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref held) >= cluster.Instances.Count),
            () => $"an attempt in flight on every instance (only {held})\n{cluster.Output}", TimeSpan.FromSeconds(15));

        var victim = cluster.Instances[0];
        await victim.KillAsync();
        var killedAt = DateTime.UtcNow;
        var sinceKill = Stopwatch.StartNew();
        release.SetResult();
        var outcome = await ClusterWebhooks.WaitUntilFinishedAsync(cluster, endpointId, events.Count);
        var finishedAfter = sinceKill.Elapsed;

        ClusterWebhooks.AssertEachEventDeliveredOnce(outcome, events);
        // Every recorded attempt reached the receiver, and the receiver saw one attempt more than was
        // recorded: the killed instance's, cut off before it could record it.
        var receipts = receiver.Requests.ToList();
        Assert.Equal(outcome.Attempts.Select(a => (a.DeliveryId.ToString(), a.Number)).Order(), receipts.Select(r => (r.Id, r.Attempt)).Distinct().Order());
        Assert.Equal(outcome.Attempts.Count + 1, receipts.Count);
        // That delivery was sent again under the same attempt number (the lost one was never counted),
        // by a surviving instance once the dead one's lease had run out.
        var repeated = Assert.Single(receipts.GroupBy(r => (r.Id, r.Attempt)), g => g.Count() == 2).Key;
        var redelivery = Assert.Single(outcome.Attempts, a => a.DeliveryId.ToString() == repeated.Id && a.Number == repeated.Attempt);
        Assert.True(redelivery.Succeeded);
        Assert.True(redelivery.StartedAt > killedAt, "the repeated attempt started after the kill");

        output.WriteLine($"All {events.Count} events delivered {finishedAfter.TotalSeconds:0.0} s after an instance was killed mid-delivery " +
            $"(lease {Lease.TotalSeconds:0} s); {outcome.Attempts.Count} attempts recorded, {receipts.Count} received.");
    }
}
