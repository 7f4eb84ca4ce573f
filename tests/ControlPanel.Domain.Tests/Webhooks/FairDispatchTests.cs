using System.Collections.Concurrent;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>
/// Fair dispatch and the per-endpoint throttle, on the fake clock: the dispatcher is driven pass by pass, the clock moved by the
/// test between passes, and each arrival stamped with the fake time, so bounds are in fake seconds and no wall-clock speed counts.
/// </summary>
public sealed class FairDispatchTests
{
    /// <summary>
    /// How long (fake time) any healthy delivery may wait behind the dead endpoint's backlog. 100 healthy deliveries over
    /// 28 free slots need 4 passes of one second each; 10 s leaves a margin of more than two.
    /// </summary>
    private static readonly TimeSpan HealthyBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_dead_endpoint_with_5000_due_deliveries_does_not_delay_ten_healthy_endpoints_of_other_accounts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = WebhookTestBed.FastOptions();
        options.PollInterval = TimeSpan.FromSeconds(1);
        options.Timeout = TimeSpan.FromSeconds(30); // never reached: the dead endpoint holds its slots for the whole test
        await using var bed = await WebhookTestBed.CreateAsync(options, clock);
        await using var dead = await TestReceiver.StartAsync();
        dead.Answer = (_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted);
        await using var healthy = await TestReceiver.StartAsync();
        var arrivals = new ConcurrentDictionary<string, DateTimeOffset>();
        healthy.Answer = (_, context) =>
        {
            arrivals[context.Request.Headers["webhook-id"].ToString()] = clock.GetUtcNow();
            return context.Response.WriteAsync("ok");
        };

        var deadEndpoint = await bed.AddEndpointAsync(dead.Url);
        var start = clock.GetUtcNow().UtcDateTime;
        // The backlog is older than everything else, so oldest-first would hand it every slot.
        await AddDueAsync(bed, bed.AcmeId, deadEndpoint.EndpointId, 5000, start - TimeSpan.FromHours(1));
        var healthyIds = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var account = new Account { Name = $"Healthy {i}" };
            await using (var db = bed.Database.CreateContext())
            {
                db.Accounts.Add(account);
                await db.SaveChangesAsync();
            }
            var owner = new Viewer($"owner-{i}", $"Owner {i}", Roles.Owner, account.Id);
            var endpoint = await bed.Endpoints.CreateAsync(owner, new WebhookEndpointService.Form { Url = $"{healthy.Url}?account={i}", Events = [WebhookEvents.KeyRotated] });
            foreach (var id in await AddDueAsync(bed, account.Id, endpoint.EndpointId, 10, start)) healthyIds.Add(id.ToString());
        }

        var dispatcher = bed.NewDispatcher();
        try
        {
            while (!healthyIds.IsSubsetOf(arrivals.Keys) && clock.GetUtcNow().UtcDateTime - start <= HealthyBound * 3)
            {
                await dispatcher.DispatchAsync();
                // Every attempt started is either answered or one of the dead endpoint's, waiting for ever.
                await WaitAsync(() => dispatcher.InFlight == dead.Requests.Count);
                clock.Advance(options.PollInterval);
            }

            Assert.Equal(healthyIds.Count, healthyIds.Count(arrivals.ContainsKey));
            Assert.All(healthyIds, id => Assert.InRange(arrivals[id].UtcDateTime - start, TimeSpan.Zero, HealthyBound));
            Assert.InRange(dead.Requests.Count, 1, options.MaxConcurrencyPerEndpoint); // it had its share, and no more
        }
        finally
        {
            await dispatcher.StopAsync();
        }
    }

    [Fact]
    public async Task An_endpoint_throttled_to_two_per_second_never_gets_more_than_two_in_any_second()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = WebhookTestBed.FastOptions();
        options.MaxDeliveriesPerSecond = 5;
        await using var bed = await WebhookTestBed.CreateAsync(options, clock);
        await using var receiver = await TestReceiver.StartAsync();
        var arrivals = new ConcurrentQueue<DateTimeOffset>();
        receiver.Answer = (_, context) =>
        {
            arrivals.Enqueue(clock.GetUtcNow());
            return context.Response.WriteAsync("ok");
        };
        var endpoint = await bed.Endpoints.CreateAsync(bed.Owner, new WebhookEndpointService.Form { Url = receiver.Url, Events = [WebhookEvents.KeyRotated], MaxDeliveriesPerSecond = 2 });
        await AddDueAsync(bed, bed.AcmeId, endpoint.EndpointId, 12, clock.GetUtcNow().UtcDateTime);

        var dispatcher = bed.NewDispatcher();
        for (var pass = 0; pass < 100 && arrivals.Count < 12; pass++)
        {
            await dispatcher.DispatchAsync();
            await WaitAsync(() => dispatcher.InFlight == 0);
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }

        var times = arrivals.OrderBy(t => t).ToList();
        Assert.Equal(12, times.Count);
        Assert.All(times, t => Assert.InRange(times.Count(u => u >= t && u < t + TimeSpan.FromSeconds(1)), 1, 2));
    }

    [Fact]
    public async Task An_owner_cannot_set_a_throttle_above_the_administrators_cap()
    {
        var options = WebhookTestBed.FastOptions();
        options.MaxDeliveriesPerSecond = 5;
        await using var bed = await WebhookTestBed.CreateAsync(options);
        var refused = await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            bed.Endpoints.CreateAsync(bed.Owner, new WebhookEndpointService.Form { Url = "http://127.0.0.1:9/hook", Events = [WebhookEvents.KeyRotated], MaxDeliveriesPerSecond = 6 }));
        Assert.Contains("At most 5", refused.Message);

        var created = await bed.Endpoints.CreateAsync(bed.Owner, new WebhookEndpointService.Form { Url = "http://127.0.0.1:9/hook", Events = [WebhookEvents.KeyRotated] });
        Assert.Equal(5, (await bed.Endpoints.GetAsync(bed.Owner, created.EndpointId)).DeliveriesPerSecond);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_instances_on_one_database_together_never_start_more_than_an_endpoints_rate_in_any_second(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bed = await WebhookTestBed.CreateAsync(WebhookTestBed.FastOptions(), clock, provider);
        await using var receiver = await TestReceiver.StartAsync();
        var arrivals = new ConcurrentQueue<DateTimeOffset>();
        receiver.Answer = (_, context) =>
        {
            arrivals.Enqueue(clock.GetUtcNow());
            return context.Response.WriteAsync("ok");
        };
        var endpoint = await bed.Endpoints.CreateAsync(bed.Owner, new WebhookEndpointService.Form { Url = receiver.Url, Events = [WebhookEvents.KeyRotated], MaxDeliveriesPerSecond = 3 });
        const int deliveries = 18;
        var start = clock.GetUtcNow();
        await AddDueAsync(bed, bed.AcmeId, endpoint.EndpointId, deliveries, start.UtcDateTime);

        WebhookDispatcher[] instances = [bed.NewDispatcher(), bed.NewDispatcher()];
        // Uneven steps, so passes fall at many offsets within a second; both instances' passes run at once, racing for each start.
        TimeSpan[] steps = [.. new[] { 150, 400, 250, 100, 350 }.Select(ms => TimeSpan.FromMilliseconds(ms))];
        for (var pass = 0; pass < 200 && arrivals.Count < deliveries; pass++)
        {
            await Task.WhenAll(instances.Select(instance => Task.Run(() => instance.DispatchAsync())));
            await WaitAsync(() => instances.All(instance => instance.InFlight == 0));
            clock.Advance(steps[pass % steps.Length]);
        }

        var times = arrivals.OrderBy(t => t).ToList();
        Assert.Equal(deliveries, times.Count);
        Assert.All(times, t => Assert.InRange(times.Count(u => u >= t && u < t + TimeSpan.FromSeconds(1)), 1, 3));
        // And at the rate: 18 at 3 a second are six bursts a second apart, each waiting at most one step (0.4 s) past its second.
        Assert.InRange(times[^1] - start, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5 * 1.4));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_instances_on_one_database_together_keep_an_endpoints_attempts_in_flight_within_its_cap(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = WebhookTestBed.FastOptions();
        options.MaxConcurrencyPerEndpoint = 2;
        options.Timeout = TimeSpan.FromSeconds(30); // never reached: the receiver holds its answers until the test lets them go
        await using var bed = await WebhookTestBed.CreateAsync(options, clock, provider);
        await using var receiver = await TestReceiver.StartAsync();
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int open = 0, mostOpen = 0;
        receiver.Answer = async (_, context) =>
        {
            var now = Interlocked.Increment(ref open);
            InterlockedMax(ref mostOpen, now);
            try
            {
                await answer.Task.WaitAsync(context.RequestAborted);
                await context.Response.WriteAsync("ok");
            }
            finally
            {
                Interlocked.Decrement(ref open);
            }
        };
        var endpoint = await bed.AddEndpointAsync(receiver.Url);
        const int deliveries = 8;
        await AddDueAsync(bed, bed.AcmeId, endpoint.EndpointId, deliveries, clock.GetUtcNow().UtcDateTime);

        WebhookDispatcher[] instances = [bed.NewDispatcher(), bed.NewDispatcher()];
        try
        {
            for (var pass = 0; pass < 5; pass++)
            {
                await Task.WhenAll(instances.Select(instance => Task.Run(() => instance.DispatchAsync())));
                // Every attempt started has reached the receiver, where it waits.
                await WaitAsync(() => instances.Sum(instance => instance.InFlight) == receiver.Requests.Count);
                clock.Advance(TimeSpan.FromSeconds(1));
            }
            Assert.Equal(2, receiver.Requests.Count); // the cap of both instances together, not two each

            answer.SetResult();
            for (var pass = 0; pass < 100 && arrivals() < deliveries; pass++)
            {
                await Task.WhenAll(instances.Select(instance => Task.Run(() => instance.DispatchAsync())));
                await WaitAsync(() => instances.All(instance => instance.InFlight == 0));
                clock.Advance(TimeSpan.FromSeconds(1));
            }
            Assert.Equal(deliveries, arrivals()); // each slot was freed when its attempt ended
            Assert.Equal(2, mostOpen);
        }
        finally
        {
            await Task.WhenAll(instances.Select(instance => instance.StopAsync()));
        }

        int arrivals() => receiver.Requests.Count;
    }

    [Fact]
    public async Task The_slots_of_an_instance_that_died_mid_attempt_are_free_again_when_its_leases_run_out()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = WebhookTestBed.FastOptions();
        options.MaxConcurrencyPerEndpoint = 2;
        await using var bed = await WebhookTestBed.CreateAsync(options, clock);
        await using var receiver = await TestReceiver.StartAsync();
        var endpoint = await bed.AddEndpointAsync(receiver.Url);
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = await AddDueAsync(bed, bed.AcmeId, endpoint.EndpointId, 4, now);

        // The rows as an instance killed with two attempts open leaves them: both deliveries leased, both slots claimed.
        var leasedUntil = now + options.Lease;
        await using (var db = bed.Database.CreateContext())
        {
            foreach (var id in ids.Take(2))
            {
                await db.WebhookDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(set => set.SetProperty(d => d.LeasedUntil, leasedUntil));
                Assert.True(await WebhookThrottle.TryStartAsync(db, endpoint.EndpointId, now, 10, options.MaxConcurrencyPerEndpoint, leasedUntil, default));
            }
        }

        var alive = bed.NewDispatcher();
        clock.Advance(options.Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await alive.DispatchAsync()); // the slots are still held
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, await alive.DispatchAsync());
        await alive.WhenIdleAsync();
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Subset(ids.Select(id => id.ToString()).ToHashSet(), receiver.Requests.Select(r => r.Id).ToHashSet());
    }

    private static void InterlockedMax(ref int most, int value)
    {
        var seen = Volatile.Read(ref most);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref most, value, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    /// <summary>Events already fanned out and their deliveries, due at <paramref name="due"/>, written in one go.</summary>
    private static async Task<IReadOnlyList<Guid>> AddDueAsync(WebhookTestBed bed, Guid accountId, Guid endpointId, int count, DateTime due)
    {
        await using var db = bed.Database.CreateContext();
        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == endpointId);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var webhookEvent = new WebhookEvent { AccountId = accountId, Name = WebhookEvents.KeyRotated, DataJson = "{}", OccurredAt = due, FannedOutAt = due };
            var delivery = WebhookDispatcher.NewDelivery(webhookEvent, endpoint, due);
            db.WebhookEvents.Add(webhookEvent);
            db.WebhookDeliveries.Add(delivery);
            ids.Add(delivery.Id);
        }
        await db.SaveChangesAsync();
        return ids;
    }

    /// <summary>Waits (real time) for what the dispatcher's background attempts bring about; fails after a generous limit.</summary>
    private static Task WaitAsync(Func<bool> done) => Eventually.TrueAsync(done, "the dispatcher's attempts to settle");
}
