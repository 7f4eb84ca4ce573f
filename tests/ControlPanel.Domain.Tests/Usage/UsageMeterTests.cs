using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Tests.Requests;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Usage;

public sealed class UsageMeterTests : IAsyncLifetime
{
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();
    public Task DisposeAsync() { harness.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Calls_are_aggregated_per_minute_and_flushes_add_to_the_rows()
    {
        var applicationId = Guid.NewGuid();
        var keyPairId = Guid.NewGuid();
        var minute = new DateTime(2026, 11, 23, 10, 5, 0, DateTimeKind.Utc);
        for (var i = 0; i < 5; i++) harness.Usage.Record(applicationId, keyPairId, ApplicationEnvironment.Live, 0, true, minute.AddSeconds(i * 10));
        harness.Usage.Record(applicationId, keyPairId, ApplicationEnvironment.Live, 158, true, minute.AddSeconds(30));
        harness.Usage.Record(applicationId, keyPairId, ApplicationEnvironment.Live, 0, true, minute.AddMinutes(1));
        await harness.Usage.FlushAsync(minute.AddMinutes(1));

        for (var i = 0; i < 3; i++) harness.Usage.Record(applicationId, keyPairId, ApplicationEnvironment.Live, 0, true, minute.AddSeconds(59));
        await harness.Usage.FlushAsync(minute.AddMinutes(1));
        await harness.Usage.FlushAsync(minute.AddMinutes(1)); // nothing pending: no change

        await using var db = harness.Database.CreateContext();
        var rows = await db.UsageMinutes.OrderBy(u => u.Minute).ThenBy(u => u.Outcome).ToListAsync();
        Assert.Equal(
            [(minute, 0, 8L), (minute, 158, 1L), (minute.AddMinutes(1), 0, 1L)],
            rows.Select(r => (r.Minute, r.Outcome, r.Calls)));
        Assert.All(rows, r => Assert.Equal("Live", r.Environment));
        Assert.Empty(harness.Usage.Pending());
    }

    [Fact]
    public async Task A_wrong_consumer_key_with_a_valid_application_key_is_counted_under_that_application_and_answered_as_unknown_keys()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var other = await harness.CreateApplicationAsync(name: "Other");

        var wrong = await harness.Check.CheckAsync(CheckHarness.With(keys) with { ConsumerKey = new string('a', 32) });
        var unknown = await harness.Check.CheckAsync(CheckHarness.With(keys) with { ApplicationKey = new string('b', 32) });

        // The answer is that of unknown keys: no application, the address's window of refused calls.
        Assert.Equal(204, wrong.Error?.Code);
        Assert.Null(wrong.Application);
        Assert.Null(wrong.KeyPairId);
        Assert.Equal((unknown.Error, unknown.ExtraInfo, unknown.RateLimit.Limit), (wrong.Error, wrong.ExtraInfo, wrong.RateLimit.Limit));
        Assert.Equal(wrong.RateLimit.Remaining - 1, unknown.RateLimit.Remaining);

        var now = harness.Clock.GetUtcNow().UtcDateTime;
        await harness.Usage.FlushAsync(now);
        await using var db = harness.Database.CreateContext();
        var rows = await db.UsageMinutes.Where(u => u.Outcome == 204).ToListAsync();
        Assert.Equal(2, rows.Sum(r => r.Calls));
        var counted = Assert.Single(rows, r => r.ApplicationId == applicationId);
        Assert.Equal((keys.KeyPairId, "Live", 1L), (counted.KeyPairId, counted.Environment, counted.Calls));
        Assert.Single(rows, r => r.ApplicationId == Guid.Empty);
        Assert.DoesNotContain(rows, r => r.ApplicationId == other.ApplicationId);
        Assert.Equal(1, (await db.UsageApplicationDays.SingleAsync(d => d.ApplicationId == applicationId)).BadKeys);
    }

    [Fact]
    public async Task Unknown_callers_are_recorded_under_empty_ids()
    {
        harness.Usage.Record(null, null, null, 204, true, harness.Clock.GetUtcNow().UtcDateTime);
        await harness.Usage.FlushAsync(harness.Clock.GetUtcNow().UtcDateTime);
        await using var db = harness.Database.CreateContext();
        var row = await db.UsageMinutes.SingleAsync();
        Assert.Equal((Guid.Empty, Guid.Empty, "", 204, 1L), (row.ApplicationId, row.KeyPairId, row.Environment, row.Outcome, row.Calls));
    }
}
