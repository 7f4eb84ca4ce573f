using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Usage;

namespace ControlPanel.Domain.Tests.Requests;

/// <summary>
/// An allowed call whose upstream never answered (gateway mode's 502/504) is taken back: the quota gets it back when it
/// counted, and the usage of its minute shows it under 124 FAILED TO CONNECT, uncounted, instead of allowed.
/// </summary>
public sealed class RefundTests : IAsyncLifetime
{
    private static readonly ApiError UpstreamFailed = ErrorCatalogue.Get(124);
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();
    public Task DisposeAsync() { harness.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task A_refunded_call_leaves_the_quota_and_moves_from_allowed_to_124_uncounted()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var request = CheckHarness.With(keys);
        await harness.Check.CheckAsync(request);
        var checkedAt = harness.Clock.GetUtcNow();
        var decision = await harness.Check.CheckAsync(request);
        Assert.Equal(2, decision.Quota!.Value.Used);

        // The upstream fails a while later, in the next minute: the call leaves the minute it was counted in.
        harness.Clock.Advance(TimeSpan.FromSeconds(70));
        await harness.Check.RefundAsync(decision, request, checkedAt, UpstreamFailed);

        Assert.Equal(1, harness.Quotas.Peek(decision.Application!, harness.Clock.GetUtcNow().UtcDateTime).Used);
        var minute = Pending(applicationId, checkedAt);
        Assert.Equal(1, minute[(0, true)]);
        Assert.Equal(1, minute[(124, false)]);
        Assert.Equal(2, minute.Values.Sum());
    }

    [Fact]
    public async Task A_refunded_call_of_an_uncounted_resource_leaves_the_quota_alone()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.Resources.CreateAsync(CheckHarness.Admin, new ResourceService.Form { Method = "GET", Path = "/v1/status", Counted = false });
        var request = CheckHarness.With(keys) with { Method = "GET", Path = "/v1/status" };
        await harness.Check.CheckAsync(CheckHarness.With(keys));
        var checkedAt = harness.Clock.GetUtcNow();
        var decision = await harness.Check.CheckAsync(request);
        Assert.True(decision.Allowed);

        await harness.Check.RefundAsync(decision, request, checkedAt, UpstreamFailed);

        // The one counted call (the first) stays; the uncounted one moves to 124 without touching the quota.
        Assert.Equal(1, harness.Quotas.Peek(decision.Application!, checkedAt.UtcDateTime).Used);
        var minute = Pending(applicationId, checkedAt);
        Assert.Equal(1, minute[(0, true)]);
        Assert.Equal(0, minute.GetValueOrDefault((0, false)));
        Assert.Equal(1, minute[(124, false)]);
    }

    [Fact]
    public async Task A_refused_call_is_not_refunded()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var request = CheckHarness.With(keys) with { ConsumerKey = new string('0', 32) };
        var checkedAt = harness.Clock.GetUtcNow();
        var refused = await harness.Check.CheckAsync(request);
        Assert.Equal(204, refused.Error?.Code);
        var before = harness.Usage.Pending();

        await harness.Check.RefundAsync(refused, request, checkedAt, UpstreamFailed);

        Assert.Equal(before, harness.Usage.Pending());
    }

    /// <summary>The application's unflushed usage in the minute of <paramref name="at"/>, by outcome and whether it counted.</summary>
    private Dictionary<(int Outcome, bool Counted), long> Pending(Guid applicationId, DateTimeOffset at)
    {
        var minute = at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute;
        return harness.Usage.Pending()
            .Where(p => p.Key.ApplicationId == applicationId && p.Key.MinuteTicks == minute)
            .GroupBy(p => (p.Key.Outcome, p.Key.Counted))
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
    }
}
