using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>An endpoint whose deliveries keep failing is disabled, once, with an audit entry and a notice to the account.</summary>
public sealed class FailingEndpointTests
{
    private static WebhookOptions Options()
    {
        var options = WebhookTestBed.FastOptions();
        options.MaxAttempts = 1; // each delivery fails after one attempt: its whole retry schedule, shortened
        options.DisableAfterFailedDeliveries = 3;
        return options;
    }

    [Fact]
    public async Task The_third_failed_delivery_in_a_row_disables_the_endpoint_and_tells_the_account()
    {
        await using var bed = await WebhookTestBed.CreateAsync(Options());
        var secret = await bed.AddEndpointAsync(TestReceiver.Unreachable());
        await using (var db = bed.Database.CreateContext())
        {
            db.NoticeRecipients.Add(new NoticeRecipients { AccountId = bed.AcmeId, Addresses = "team@acme.test", Confirmed = "team@acme.test" });
            await db.SaveChangesAsync();
        }
        var created = await bed.CreateApplicationAsync();
        var dispatcher = bed.NewDispatcher();

        for (var rotation = 1; rotation <= 2; rotation++)
        {
            await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
            await WebhookTestBed.RunUntilAsync(dispatcher, async () => await FailedAsync(bed) == rotation);
        }
        Assert.True(await EnabledAsync(bed, secret.EndpointId));

        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => !await EnabledAsync(bed, secret.EndpointId));

        await using var check = bed.Database.CreateContext();
        var endpoint = await check.WebhookEndpoints.SingleAsync(e => e.Id == secret.EndpointId);
        Assert.NotNull(endpoint.DisabledAt);
        var entry = Assert.Single(await check.AuditEntries.Where(a => a.Action == AuditActions.WebhookEndpointDisabled).ToListAsync());
        Assert.Equal(bed.AcmeId, entry.AccountId);
        Assert.Contains("last 3 deliveries all failed", entry.Changes);
        var mail = Assert.Single(await check.OutboxMails.Where(m => m.Kind == MailKinds.WebhookEndpointDisabled).ToListAsync());
        Assert.Equal("team@acme.test", mail.To);

        // Disabled, it is sent nothing more and nobody is told twice.
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
        await WebhookTestBed.RunUntilAsync(dispatcher, async () =>
        {
            await using var db = bed.Database.CreateContext();
            return await db.WebhookEvents.AllAsync(e => e.FannedOutAt != null);
        });
        Assert.Equal(3, await check.WebhookDeliveries.CountAsync());
        Assert.Single(await check.OutboxMails.Where(m => m.Kind == MailKinds.WebhookEndpointDisabled).ToListAsync());
    }

    [Fact]
    public async Task A_delivered_delivery_breaks_the_run_of_failures()
    {
        await using var bed = await WebhookTestBed.CreateAsync(Options());
        await using var receiver = await TestReceiver.StartAsync();
        // The 3rd request succeeds; the others answer 500.
        receiver.Answer = (number, context) =>
        {
            context.Response.StatusCode = number == 3 ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        };
        var secret = await bed.AddEndpointAsync(receiver.Url);
        var created = await bed.CreateApplicationAsync();
        var dispatcher = bed.NewDispatcher();

        for (var rotation = 1; rotation <= 5; rotation++)
        {
            await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
            await WebhookTestBed.RunUntilAsync(dispatcher, async () => await FinishedAsync(bed) == rotation);
        }

        // Finished, newest first: failed, failed, delivered, failed, failed: never three failures in a row.
        Assert.True(await EnabledAsync(bed, secret.EndpointId));
    }

    [Fact]
    public async Task An_endpoint_whose_every_attempt_failed_for_five_days_is_disabled_though_it_failed_only_a_few_times()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options();
        options.DisableAfterFailedDeliveries = 0; // only the time rule here
        options.DisableAfterFailingFor = TimeSpan.FromDays(5);
        await using var bed = await WebhookTestBed.CreateAsync(options, clock);
        var secret = await bed.AddEndpointAsync(TestReceiver.Unreachable());
        await using (var db = bed.Database.CreateContext())
        {
            db.NoticeRecipients.Add(new NoticeRecipients { AccountId = bed.AcmeId, Addresses = "team@acme.test", Confirmed = "team@acme.test" });
            await db.SaveChangesAsync();
        }
        var created = await bed.CreateApplicationAsync();
        var dispatcher = bed.NewDispatcher();

        // One failing event now, one after four days: the run began four days ago, so it stays.
        foreach (var (wait, failed) in new[] { (TimeSpan.Zero, 1), (TimeSpan.FromDays(4), 2) })
        {
            clock.Advance(wait);
            await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
            await WebhookTestBed.RunUntilAsync(dispatcher, async () => await FailedAsync(bed) == failed);
        }
        Assert.True(await EnabledAsync(bed, secret.EndpointId));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => !await EnabledAsync(bed, secret.EndpointId));

        await using var check = bed.Database.CreateContext();
        var entry = Assert.Single(await check.AuditEntries.Where(a => a.Action == AuditActions.WebhookEndpointDisabled).ToListAsync());
        Assert.Contains("every attempt failed for 5 days", entry.Changes);
        var mail = Assert.Single(await check.OutboxMails.Where(m => m.Kind == MailKinds.WebhookEndpointDisabled).ToListAsync());
        Assert.Contains("failed for 5 days", mail.TextBody);

        // Turned back on, it gets its five days again.
        var details = await bed.Endpoints.GetAsync(bed.Owner, secret.EndpointId);
        await bed.Endpoints.UpdateAsync(bed.Owner, secret.EndpointId, new WebhookEndpointService.Form { Url = details.Url, Events = [.. details.Events], IsEnabled = true });
        Assert.Null((await check.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == secret.EndpointId)).FailingSince);
    }

    [Fact]
    public async Task A_delivered_attempt_ends_the_run_of_failing_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options();
        options.DisableAfterFailedDeliveries = 0;
        await using var bed = await WebhookTestBed.CreateAsync(options, clock);
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Answer = (number, context) =>
        {
            context.Response.StatusCode = number == 2 ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        };
        var secret = await bed.AddEndpointAsync(receiver.Url);
        var created = await bed.CreateApplicationAsync();
        var dispatcher = bed.NewDispatcher();
        for (var rotation = 1; rotation <= 3; rotation++)
        {
            await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
            await WebhookTestBed.RunUntilAsync(dispatcher, async () => await FinishedAsync(bed) == rotation);
            clock.Advance(TimeSpan.FromDays(3)); // failed, delivered, failed: six days, never five of failures alone
        }
        Assert.True(await EnabledAsync(bed, secret.EndpointId));
    }

    private static async Task<int> FailedAsync(WebhookTestBed bed)
    {
        await using var db = bed.Database.CreateContext();
        return await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Failed);
    }

    private static async Task<int> FinishedAsync(WebhookTestBed bed)
    {
        await using var db = bed.Database.CreateContext();
        return await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Failed || d.Status == WebhookDeliveryStatus.Delivered);
    }

    private static async Task<bool> EnabledAsync(WebhookTestBed bed, Guid endpointId)
    {
        await using var db = bed.Database.CreateContext();
        return await db.WebhookEndpoints.Where(e => e.Id == endpointId).Select(e => e.IsEnabled).SingleAsync();
    }
}
