using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Tests.Requests;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Quotas;

public sealed class QuotaLedgerTests : IAsyncLifetime
{
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();
    public Task DisposeAsync() { harness.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Each_threshold_and_the_overrun_notify_once_per_month()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 10, 5);

        for (var i = 0; i < 15; i++) Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
        Assert.Equal(103, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);
        await harness.Quotas.FlushNotificationsAsync();

        await using var db = harness.Database.CreateContext();
        var sent = await db.QuotaNotifications.OrderBy(n => n.Id).ToListAsync();
        Assert.Equal(
            [(QuotaNotificationKind.Threshold, 80, 8L), (QuotaNotificationKind.Threshold, 90, 9L), (QuotaNotificationKind.Threshold, 100, 10L), (QuotaNotificationKind.Overrun, 100, 11L)],
            sent.Select(n => (n.Kind, n.Percent, n.Used)));
        Assert.All(sent, n => Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), n.Month));
        Assert.All(sent, n => Assert.Equal(accountId, n.AccountId));
    }

    [Fact]
    public async Task Each_new_notification_is_also_a_webhook_event_of_the_account()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 10, 5);
        for (var i = 0; i < 11; i++) await harness.Check.CheckAsync(CheckHarness.With(keys));
        await harness.Quotas.FlushNotificationsAsync();
        await harness.Quotas.FlushNotificationsAsync();

        await using var db = harness.Database.CreateContext();
        // The manual clock gives every event the same time, so compare them as a set of names.
        var events = await db.WebhookEvents.ToListAsync();
        Assert.Equal(
            [ControlPanel.Domain.Webhooks.WebhookEvents.QuotaExceeded, ControlPanel.Domain.Webhooks.WebhookEvents.QuotaThresholdReached, ControlPanel.Domain.Webhooks.WebhookEvents.QuotaThresholdReached, ControlPanel.Domain.Webhooks.WebhookEvents.QuotaThresholdReached],
            events.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal(accountId, e.AccountId));
        Assert.All(events, e => Assert.Equal(applicationId, e.ApplicationId));
    }

    [Fact]
    public async Task A_new_utc_month_resets_the_count_and_the_notifications()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 2, 0);
        harness.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero));
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
        var refused = await harness.Check.CheckAsync(CheckHarness.With(keys));
        Assert.Equal(103, refused.Error?.Code);
        Assert.Equal(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), refused.Quota!.Value.ResetsAt);

        // One second later, at midnight UTC (still 30 November in UTC-1), the month is new.
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var allowed = await harness.Check.CheckAsync(CheckHarness.With(keys));
        Assert.True(allowed.Allowed);
        Assert.Equal(1, allowed.Quota!.Value.Used);

        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
        await harness.Quotas.FlushNotificationsAsync();
        await using var db = harness.Database.CreateContext();
        var months = await db.QuotaNotifications.Where(n => n.Percent == 100 && n.Kind == QuotaNotificationKind.Threshold).Select(n => n.Month).ToListAsync();
        Assert.Equal(2, months.Distinct().Count());
    }

    [Fact]
    public async Task After_a_restart_the_count_comes_from_usage_and_sent_notifications_are_not_repeated()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 10, 0);
        for (var i = 0; i < 8; i++) await harness.Check.CheckAsync(CheckHarness.With(keys));
        await harness.Check.CheckAsync(CheckHarness.With(keys) with { Counted = false });
        await harness.Usage.FlushAsync(harness.Clock.GetUtcNow().UtcDateTime);
        await harness.Quotas.FlushNotificationsAsync();

        var restarted = new QuotaLedger(new LeasedCounters(new ProcessCounterStore(), harness.Clock), harness.Databases, Microsoft.Extensions.Options.Options.Create(harness.Options), harness.Clock);
        await restarted.LoadAsync();
        var application = harness.Applications.Find(applicationId)!;
        Assert.Equal(8, restarted.Peek(application, harness.Clock.GetUtcNow().UtcDateTime).Used);

        var (allowed, state) = await restarted.TryCountAsync(application, harness.Clock.GetUtcNow().UtcDateTime);
        Assert.True(allowed);
        Assert.Equal(9, state.Used);
        Assert.Equal([90], restarted.TakePending().Select(n => n.Percent));
    }

    [Fact]
    public async Task Configured_thresholds_replace_the_defaults()
    {
        using var custom = await CheckHarness.CreateAsync(new ApiOptions { RequireHttps = false, QuotaNotificationThresholds = [50] });
        var (_, applicationId, keys) = await custom.CreateApplicationAsync();
        await custom.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 4, 0);
        for (var i = 0; i < 4; i++) await custom.Check.CheckAsync(CheckHarness.With(keys));
        Assert.Equal([50], custom.Quotas.TakePending().Where(n => n.Kind == QuotaNotificationKind.Threshold).Select(n => n.Percent));
    }

    [Fact]
    public async Task Concurrent_calls_never_exceed_quota_plus_allowance()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 90, 10);
        await harness.AdminControls.SetRateLimitsAsync(CheckHarness.Admin, applicationId, 100_000, null);

        var allowed = 0;
        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) =>
        {
            if ((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed) Interlocked.Increment(ref allowed);
        });
        Assert.Equal(100, allowed);
    }
}
