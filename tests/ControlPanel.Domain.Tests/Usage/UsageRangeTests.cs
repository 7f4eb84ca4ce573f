using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Usage;

namespace ControlPanel.Domain.Tests.Usage;

public sealed class UsageRangeTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 14, 27, 45, DateTimeKind.Utc);

    [Theory]
    [InlineData(UsageRangePreset.Last7Days, "2026-12-01", "2026-12-07")]
    [InlineData(UsageRangePreset.Last30Days, "2026-11-08", "2026-12-07")]
    [InlineData(UsageRangePreset.ThisMonth, "2026-12-01", "2026-12-07")]
    [InlineData(UsageRangePreset.LastMonth, "2026-11-01", "2026-11-30")]
    public void Day_presets_are_whole_utc_days_ending_today_at_the_latest(UsageRangePreset preset, string from, string to)
    {
        var period = UsageRanges.Resolve(preset, Now);

        Assert.Equal(TimeSpan.FromDays(1), period.Bucket);
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to)), (period.FirstDay, period.LastDay));
        Assert.True(period.LastDay <= DateOnly.FromDateTime(Now));
    }

    [Fact]
    public void The_last_hour_is_sixty_minutes_and_the_last_day_twenty_four_hours_up_to_the_current_one()
    {
        var hour = UsageRanges.Resolve(UsageRangePreset.LastHour, Now);
        Assert.Equal((new DateTime(2026, 12, 7, 13, 28, 0), TimeSpan.FromMinutes(1), 60), (hour.Start, hour.Bucket, hour.Buckets));

        var day = UsageRanges.Resolve(UsageRangePreset.Last24Hours, Now);
        Assert.Equal((new DateTime(2026, 12, 6, 15, 0, 0), TimeSpan.FromHours(1), 24), (day.Start, day.Bucket, day.Buckets));
        Assert.Equal((new DateOnly(2026, 12, 6), new DateOnly(2026, 12, 7)), (day.FirstDay, day.LastDay));
    }

    [Theory]
    [InlineData(UsageLiveWindow.OneHour, 60, 1)]
    [InlineData(UsageLiveWindow.SixHours, 36, 10)]
    [InlineData(UsageLiveWindow.OneDay, 24, 60)]
    public void Live_windows_have_few_enough_bars_for_a_phone(UsageLiveWindow window, int bars, int minutes)
    {
        var period = UsageRanges.Live(window, Now);
        Assert.Equal((bars, TimeSpan.FromMinutes(minutes)), (period.Buckets, period.Bucket));
        Assert.True(period.End > Now && period.End - period.Bucket <= Now);
    }

    [Fact]
    public void Presets_and_windows_round_trip_through_their_url_values_and_unknown_values_are_null()
    {
        foreach (var preset in UsageRanges.Presets) Assert.Equal(preset, UsageRanges.ParsePreset(preset.Slug()));
        foreach (var window in UsageRanges.LiveWindows) Assert.Equal(window, UsageRanges.ParseLiveWindow(window.Slug()));
        Assert.Null(UsageRanges.ParsePreset("1y"));
        Assert.Null(UsageRanges.ParseLiveWindow(null));
        Assert.Equal(UsageRangePreset.Last30Days, UsageRanges.Default);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_custom_range_may_not_end_in_the_future_and_a_preset_ignores_stale_dates(DatabaseProvider provider)
    {
        using var bed = await UsageTestBed.CreateAsync(provider, new DateTimeOffset(Now));

        var refusal = Assert.Throws<InvalidDateRangeException>(() => bed.Reports.ResolvePeriod(new(From: new(2026, 12, 1), To: new(2026, 12, 8), Range: UsageRangePreset.Custom)));
        Assert.Contains("in the future", refusal.Message);
        Assert.Equal(new DateOnly(2026, 12, 7), bed.Reports.ResolvePeriod(new(From: new(2026, 12, 1), To: new(2026, 12, 7), Range: UsageRangePreset.Custom)).LastDay);
        Assert.Equal(new DateOnly(2026, 12, 1), bed.Reports.ResolveRange(new(From: new(2020, 1, 1), Range: UsageRangePreset.Last7Days)).From);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_last_24_hours_add_minutes_up_into_hours_and_the_timeline_totals_them(DatabaseProvider provider)
    {
        using var bed = await UsageTestBed.CreateAsync(provider, new DateTimeOffset(Now));
        var (_, owner, mine) = await bed.CreateAccountAsync("Acme", "Storefront");
        bed.Meter.Record(mine[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, Now.AddHours(-3).AddMinutes(-5));
        bed.Meter.Record(mine[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, Now.AddHours(-3).AddMinutes(-10));
        bed.Meter.Record(mine[0], Guid.NewGuid(), ApplicationEnvironment.Live, 158, true, Now);
        bed.Meter.Record(mine[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, Now.AddHours(-30)); // before the window
        await bed.Meter.FlushAsync(Now);

        var timeline = await bed.Reports.TimelineAsync(owner, new(Range: UsageRangePreset.Last24Hours));

        Assert.Equal(24, timeline.Points.Count);
        Assert.Equal(2, timeline.Points.Single(p => p.Start == new DateTime(2026, 12, 7, 11, 0, 0))[UsageOutcome.Allowed]);
        Assert.Equal(1, timeline.Points[^1][UsageOutcome.RateLimited]);
        Assert.Equal(3, timeline.Totals.Total);
        var days = await bed.Reports.TimelineAsync(owner, new(Range: UsageRangePreset.Last7Days));
        Assert.Equal(7, days.Points.Count);
        Assert.Equal(4, days.Totals.Total);
    }
}
