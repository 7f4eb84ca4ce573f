using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>Deliveries to a real HTTP receiver on loopback, with short intervals from the options.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private WebhookTestBed bed = default!;
    private TestReceiver receiver = default!;

    public async Task InitializeAsync()
    {
        bed = await WebhookTestBed.CreateAsync();
        receiver = await TestReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await bed.DisposeAsync();
    }

    /// <summary>
    /// The Standard Webhooks v1 check written from the specification, independently of the domain's code: the key is the base64
    /// after "whsec_", the signature "v1," + base64 HMAC-SHA-256 of "{id}.{timestamp}.{body}", any of the space-separated ones.
    /// (The HTTP tests verify real deliveries with the published library; this one needs no wall clock.)
    /// </summary>
    private static bool VerifyWebhook(string secret, string id, string timestamp, byte[] body, string signatureHeader)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        return signatureHeader.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    [Fact]
    public async Task An_event_is_delivered_first_time_signed_and_shaped_as_the_seed()
    {
        var issued = await bed.AddEndpointAsync(receiver.Url, WebhookEvents.KeyRotated);
        var created = await bed.CreateApplicationAsync();
        var rotated = await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.OneHour);

        var dispatcher = bed.NewDispatcher();
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Delivered);

        var request = Assert.Single(receiver.Requests);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("key_rotated", json.RootElement.GetProperty("event_name").GetString());
        // The body carries the verification secret, as the seed's receivers expect; the signing secret never travels.
        Assert.Equal(issued.VerificationSecret, json.RootElement.GetProperty("secret").GetString());
        Assert.DoesNotContain(issued.Secret, Encoding.UTF8.GetString(request.Body));
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(created.Application.Id, data.GetProperty("application_id").GetGuid());
        Assert.Equal(rotated.ApplicationKey[^4..], data.GetProperty("application_key_last4").GetString());
        Assert.Equal("key_rotated", request.Event);
        Assert.Equal(1, request.Attempt);

        Assert.True(VerifyWebhook(issued.Secret, request.Id, request.Timestamp.ToString(), request.Body, request.Signature));
        Assert.DoesNotContain(' ', request.Signature);
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(request.Body).Replace("key_rotated", "key_revoked"));
        Assert.False(VerifyWebhook(issued.Secret, request.Id, request.Timestamp.ToString(), changed, request.Signature));
        Assert.False(VerifyWebhook(issued.Secret, Guid.NewGuid().ToString(), request.Timestamp.ToString(), request.Body, request.Signature));
        Assert.False(VerifyWebhook(WebhookSecrets.NewSecret(), request.Id, request.Timestamp.ToString(), request.Body, request.Signature));

        var delivery = await bed.SingleDeliveryAsync();
        Assert.Equal(request.Id, delivery.Delivery.Id.ToString());
        Assert.Null(delivery.Delivery.NextAttemptAt);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal(WebhookAttemptOutcome.Delivered, attempt.Outcome);
        Assert.Equal(200, attempt.HttpStatus);
        Assert.Equal("ok", attempt.ResponseBody);
    }

    [Fact]
    public async Task A_receiver_answering_500_twice_then_200_gets_three_attempts_with_one_message_id()
    {
        receiver.Answer = async (n, context) =>
        {
            context.Response.StatusCode = n <= 2 ? 500 : 200;
            await context.Response.WriteAsync(n <= 2 ? $"broken {n}" : "fine");
        };
        await bed.AddEndpointAsync(receiver.Url);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

        await WebhookTestBed.RunUntilAsync(bed.NewDispatcher(), async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Delivered);

        var delivery = await bed.SingleDeliveryAsync();
        Assert.Equal(3, delivery.Delivery.Attempts);
        Assert.Equal([WebhookAttemptOutcome.HttpError, WebhookAttemptOutcome.HttpError, WebhookAttemptOutcome.Delivered], delivery.Attempts.Select(a => a.Outcome));
        Assert.Equal([500, 500, 200], delivery.Attempts.Select(a => a.HttpStatus));
        Assert.Equal("broken 1", delivery.Attempts[0].ResponseBody);
        Assert.All(delivery.Attempts.Zip(delivery.Attempts.Skip(1)), pair => Assert.True(pair.Second.StartedAt > pair.First.StartedAt));
        var requests = receiver.Requests.ToList();
        Assert.Equal([1, 2, 3], requests.Select(r => r.Attempt));
        Assert.Single(requests.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task A_receiver_slower_than_the_timeout_is_logged_as_a_timeout_and_retried()
    {
        receiver.Answer = async (n, context) =>
        {
            if (n == 1) await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await context.Response.WriteAsync("late but fine");
        };
        var options = WebhookTestBed.FastOptions();
        options.Timeout = TimeSpan.FromSeconds(1);
        options.MaxAttempts = 10; // room for a loaded machine to miss the second-attempt deadline too
        await bed.AddEndpointAsync(receiver.Url);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

        await WebhookTestBed.RunUntilAsync(bed.NewDispatcher(options), async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Delivered);

        var delivery = await bed.SingleDeliveryAsync();
        Assert.Equal(WebhookAttemptOutcome.Timeout, delivery.Attempts[0].Outcome);
        Assert.Equal(WebhookAttemptOutcome.Delivered, delivery.Attempts[^1].Outcome);
        Assert.Null(delivery.Attempts[0].HttpStatus);
        Assert.StartsWith("Timeout", delivery.Attempts[0].Error);
    }

    [Fact]
    public async Task A_receiver_down_for_the_whole_window_fails_after_the_configured_attempts()
    {
        await bed.AddEndpointAsync(TestReceiver.Unreachable());
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

        await WebhookTestBed.RunUntilAsync(bed.NewDispatcher(), async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Failed);

        var delivery = await bed.SingleDeliveryAsync();
        Assert.Equal(bed.Options.MaxAttempts, delivery.Attempts.Count);
        Assert.All(delivery.Attempts, a => Assert.Equal(WebhookAttemptOutcome.Refused, a.Outcome));
        Assert.Null(delivery.Delivery.NextAttemptAt);
        Assert.NotNull(delivery.Delivery.LastError);
    }

    [Fact]
    public async Task A_stopped_worker_leaves_its_deliveries_to_the_next_one_and_nothing_is_lost()
    {
        // Attempt 1 fails, then the worker stops mid-retry; attempt 2 hangs and the worker stops mid-attempt.
        var release = new TaskCompletionSource();
        receiver.Answer = async (n, context) =>
        {
            if (n == 1) context.Response.StatusCode = 503;
            if (n == 2) await release.Task.WaitAsync(context.RequestAborted);
        };
        var options = WebhookTestBed.FastOptions();
        options.Timeout = TimeSpan.FromSeconds(20);
        await bed.AddEndpointAsync(receiver.Url, WebhookEvents.KeyRotated, WebhookEvents.KeyRevoked);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

        var first = bed.NewDispatcher(options);
        await WebhookTestBed.RunUntilAsync(first, async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Retrying);
        await WebhookTestBed.RunUntilAsync(first, () => Task.FromResult(receiver.Requests.Count == 2));
        Assert.Equal(1, first.InFlight);
        await first.StopAsync();

        // A second event raised while no worker runs waits in the outbox.
        var pairs = await bed.Keys.ListAsync(bed.Owner, created.Application.Id);
        await bed.Keys.RevokeAsync(bed.Owner, created.Application.Id, pairs.First(p => p.IsLive).Id);

        var second = bed.NewDispatcher(options);
        await WebhookTestBed.RunUntilAsync(second, async () =>
            (await bed.Log.SearchAsync(bed.Admin, new())).Rows is { Count: 2 } rows && rows.All(r => r.Status == WebhookDeliveryStatus.Delivered));

        var rows = (await bed.Log.SearchAsync(bed.Admin, new())).Rows;
        var rotatedDelivery = await bed.Log.GetAsync(bed.Admin, rows.Single(r => r.EventName == WebhookEvents.KeyRotated).Id);
        // The attempt cut short by the stop is not counted: it was handed back, not failed.
        Assert.Equal([WebhookAttemptOutcome.HttpError, WebhookAttemptOutcome.Delivered], rotatedDelivery.Attempts.Select(a => a.Outcome));
        Assert.Equal(
            [WebhookEvents.KeyRotated, WebhookEvents.KeyRotated, WebhookEvents.KeyRotated, WebhookEvents.KeyRevoked],
            receiver.Requests.Select(r => r.Event).OrderBy(e => e != WebhookEvents.KeyRotated));
    }

    [Fact]
    public async Task A_delivery_leased_by_a_crashed_worker_is_taken_up_when_the_lease_runs_out()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var manual = await WebhookTestBed.CreateAsync(clock: clock);
        await manual.AddEndpointAsync(receiver.Url);
        var created = await manual.CreateApplicationAsync();
        await manual.Keys.RotateAsync(manual.Owner, created.Application.Id, RotationGrace.Immediately);
        var dispatcher = manual.NewDispatcher();
        await dispatcher.DispatchAsync();
        await dispatcher.WhenIdleAsync();
        Assert.Equal(WebhookDeliveryStatus.Delivered, await manual.SingleStatusAsync());

        // A second event whose delivery a worker claimed, then died holding.
        await manual.Keys.RotateAsync(manual.Owner, created.Application.Id, RotationGrace.Immediately);
        await dispatcher.FanOutAsync();
        await using (var db = manual.Database.CreateContext())
            Assert.Equal(1, await db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeasedUntil, clock.GetUtcNow().UtcDateTime + manual.Options.Lease)));

        Assert.Equal(0, await dispatcher.DispatchAsync());
        clock.Advance(manual.Options.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DispatchAsync());
        await dispatcher.WhenIdleAsync();
        var rows = (await manual.Log.SearchAsync(manual.Admin, new())).Rows;
        Assert.All(rows, r => Assert.Equal(WebhookDeliveryStatus.Delivered, r.Status));
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_slow_endpoint_does_not_hold_up_the_others()
    {
        var slow = await TestReceiver.StartAsync();
        var release = new TaskCompletionSource();
        slow.Answer = async (_, context) => await release.Task.WaitAsync(context.RequestAborted);
        try
        {
            var options = WebhookTestBed.FastOptions();
            options.Timeout = TimeSpan.FromSeconds(20);
            options.MaxConcurrencyPerEndpoint = 1;
            options.MaxConcurrency = 4;
            await bed.AddEndpointAsync(slow.Url);
            await bed.AddEndpointAsync(receiver.Url);
            var created = await bed.CreateApplicationAsync();
            for (var i = 0; i < 5; i++)
                await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

            var dispatcher = bed.NewDispatcher(options);
            // The slow endpoint's first request may still be on its way when the other endpoint has all five.
            await WebhookTestBed.RunUntilAsync(dispatcher, () => Task.FromResult(receiver.Requests.Count == 5 && slow.Requests.Count > 0));

            Assert.Single(slow.Requests); // one in flight, per the per-endpoint bound; the rest wait their turn
            release.SetResult();
            await WebhookTestBed.RunUntilAsync(dispatcher, async () =>
                (await bed.Log.SearchAsync(bed.Admin, new(Status: WebhookDeliveryStatus.Delivered))).Total == 10);
            await dispatcher.StopAsync();
        }
        finally
        {
            release.TrySetResult();
            await slow.DisposeAsync();
        }
    }

    [Fact]
    public async Task Addresses_are_checked_again_at_delivery_so_a_host_now_on_a_private_address_is_refused()
    {
        // Saved while private addresses were allowed (as a host that resolved publicly, then rebound to loopback).
        await bed.AddEndpointAsync(receiver.Url);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

        var strict = WebhookTestBed.FastOptions();
        strict.AllowPrivateAddresses = false;
        await WebhookTestBed.RunUntilAsync(bed.NewDispatcher(strict), async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Failed);

        var delivery = await bed.SingleDeliveryAsync();
        Assert.All(delivery.Attempts, a => Assert.Equal(WebhookAttemptOutcome.Blocked, a.Outcome));
        Assert.Contains("non-public address", delivery.Attempts[0].Error);
        Assert.DoesNotContain("127.0.0.1", delivery.Attempts[0].Error![delivery.Attempts[0].Error!.IndexOf("resolves", StringComparison.Ordinal)..]);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_test_event_goes_to_one_endpoint_and_a_resend_attempts_a_delivered_delivery_again()
    {
        var issued = await bed.AddEndpointAsync(receiver.Url, WebhookEvents.ChatEnded);
        var deliveryId = await bed.Endpoints.SendTestAsync(bed.Owner, issued.EndpointId);
        var dispatcher = bed.NewDispatcher();
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => (await bed.Log.GetAsync(bed.Owner, deliveryId)).Delivery.Status == WebhookDeliveryStatus.Delivered);
        Assert.Equal(WebhookEvents.Test, Assert.Single(receiver.Requests).Event);

        await bed.Log.ResendAsync(bed.Owner, deliveryId);
        Assert.Equal(WebhookDeliveryStatus.Pending, (await bed.Log.GetAsync(bed.Owner, deliveryId)).Delivery.Status);
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => (await bed.Log.GetAsync(bed.Owner, deliveryId)).Delivery.Status == WebhookDeliveryStatus.Delivered);
        var delivery = await bed.Log.GetAsync(bed.Owner, deliveryId);
        Assert.Equal(2, delivery.Attempts.Count);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task A_receiver_echoing_the_body_has_the_verification_secret_redacted_from_the_stored_answer()
    {
        receiver.Answer = (_, context) => context.Response.WriteAsync(System.Text.Encoding.UTF8.GetString(receiver.Requests.Last().Body));
        var issued = await bed.AddEndpointAsync(receiver.Url);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);

        await WebhookTestBed.RunUntilAsync(bed.NewDispatcher(), async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Delivered);
        var stored = Assert.Single((await bed.SingleDeliveryAsync()).Attempts).ResponseBody;
        Assert.Contains("\"secret\":\"[redacted]\"", stored);
        Assert.DoesNotContain(issued.VerificationSecret!, stored);
    }

    [Fact]
    public async Task Deliveries_to_a_disabled_endpoint_end_as_failed_without_an_attempt()
    {
        var issued = await bed.AddEndpointAsync(receiver.Url);
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
        await bed.NewDispatcher().FanOutAsync();
        await bed.Endpoints.DisableAsync(bed.Owner, issued.EndpointId);

        await WebhookTestBed.RunUntilAsync(bed.NewDispatcher(), async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Failed);
        var delivery = await bed.SingleDeliveryAsync();
        Assert.Empty(delivery.Attempts);
        Assert.Contains("disabled", delivery.Delivery.LastError);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task While_a_rotated_secret_overlaps_deliveries_carry_both_signatures_and_after_it_only_the_new_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var timed = await WebhookTestBed.CreateAsync(clock: clock);
        var first = await timed.Endpoints.CreateAsync(timed.Owner, new WebhookEndpointService.Form
        {
            Url = receiver.Url,
            Events = [WebhookEvents.ChatEnded],
            VerificationSecret = "yoursecret",
        });
        var second = await timed.Endpoints.RotateSecretAsync(timed.Owner, first.EndpointId, RotationGrace.OneHour);
        var dispatcher = timed.NewDispatcher();

        await timed.Endpoints.SendTestAsync(timed.Owner, first.EndpointId);
        await dispatcher.DispatchAsync();
        await dispatcher.WhenIdleAsync();
        var during = Assert.Single(receiver.Requests);
        Assert.Equal(2, during.Signature.Split(' ').Length);
        Assert.True(VerifyWebhook(first.Secret, during.Id, during.Timestamp.ToString(), during.Body, during.Signature));
        Assert.True(VerifyWebhook(second.Secret, during.Id, during.Timestamp.ToString(), during.Body, during.Signature));
        Assert.Equal("yoursecret", JsonDocument.Parse(during.Body).RootElement.GetProperty("secret").GetString());

        clock.Advance(TimeSpan.FromHours(1));
        await timed.Endpoints.SendTestAsync(timed.Owner, first.EndpointId);
        await dispatcher.DispatchAsync();
        await dispatcher.WhenIdleAsync();
        var after = receiver.Requests.Last();
        Assert.NotEqual(during.Id, after.Id);
        Assert.False(VerifyWebhook(first.Secret, after.Id, after.Timestamp.ToString(), after.Body, after.Signature));
        Assert.True(VerifyWebhook(second.Secret, after.Id, after.Timestamp.ToString(), after.Body, after.Signature));
        Assert.Null((await timed.Endpoints.GetAsync(timed.Owner, first.EndpointId)).PreviousSecretId);
    }
}
