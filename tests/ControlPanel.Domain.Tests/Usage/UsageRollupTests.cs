using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Tests.Usage;

public sealed class UsageRollupTests
{
    private static readonly DateTimeOffset MidNovember = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly int[] Outcomes = [0, 0, 0, 0, 158, 103, 111, 204, 110, 225];

    /// <summary>What was recorded, tallied independently of the meter: per UTC day, per outcome category.</summary>
    private sealed class Tally
    {
        public readonly Dictionary<(DateOnly Day, UsageOutcome Outcome), long> Calls = new();
        public readonly Dictionary<DateOnly, long> Counted = new();

        public void Add(DateTime at, int outcome, bool counted)
        {
            var day = DateOnly.FromDateTime(at);
            var key = (day, UsageOutcomes.Of(outcome));
            Calls[key] = Calls.GetValueOrDefault(key) + 1;
            if (counted && outcome == 0) Counted[day] = Counted.GetValueOrDefault(day) + 1;
        }

        public long On(DateOnly day, UsageOutcome outcome) => Calls.GetValueOrDefault((day, outcome));
        public long Between(DateOnly from, DateOnly to, UsageOutcome outcome) => Calls.Where(c => c.Key.Day >= from && c.Key.Day <= to && c.Key.Outcome == outcome).Sum(c => c.Value);
        public long CountedBetween(DateOnly from, DateOnly to) => Counted.Where(c => c.Key >= from && c.Key <= to).Sum(c => c.Value);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Day_and_month_totals_equal_the_recorded_decisions_across_a_month_boundary(DatabaseProvider provider)
    {
        using var bed = await UsageTestBed.CreateAsync(provider, MidNovember);
        var (_, _, ids) = await bed.CreateAccountAsync("Acme", "Storefront", "Backoffice");
        var (storefront, backoffice) = (ids[0], ids[1]);
        var keyPairs = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var tally = new Tally();
        var random = new Random(42);

        // Four hours either side of midnight UTC, 31 October to 1 November, flushed at irregular times
        // so that single flushes hold minutes of both days and minutes are added to by several flushes.
        var at = new DateTime(2026, 10, 31, 22, 0, 0, DateTimeKind.Utc);
        var end = new DateTime(2026, 11, 1, 2, 0, 0, DateTimeKind.Utc);
        var recorded = 0;
        while (at < end)
        {
            var outcome = Outcomes[random.Next(Outcomes.Length)];
            var counted = random.Next(10) > 0;
            bed.Meter.Record(storefront, keyPairs[random.Next(2)], ApplicationEnvironment.Live, outcome, counted, at);
            tally.Add(at, outcome, counted);
            if (random.Next(5) == 0) bed.Meter.Record(backoffice, Guid.NewGuid(), ApplicationEnvironment.Staging, 0, true, at);
            if (++recorded % 97 == 0) await bed.Meter.FlushAsync(at);
            at = at.AddSeconds(random.Next(1, 20));
        }
        // The last tick of October and the first of November fall on their own UTC days.
        var lastTick = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1);
        bed.Meter.Record(storefront, keyPairs[0], ApplicationEnvironment.Live, 0, true, lastTick);
        tally.Add(lastTick, 0, true);
        bed.Meter.Record(storefront, keyPairs[0], ApplicationEnvironment.Live, 0, true, lastTick.AddTicks(1));
        tally.Add(lastTick.AddTicks(1), 0, true);
        await bed.Meter.FlushAsync(end);

        var october31 = new DateOnly(2026, 10, 31);
        var november1 = new DateOnly(2026, 11, 1);
        var history = await bed.Reports.DailyAsync(UsageTestBed.Admin, new(ApplicationId: storefront, From: october31.AddDays(-1), To: november1.AddDays(1)));
        Assert.Equal(4, history.Days.Count);
        foreach (var day in history.Days)
        {
            var date = DateOnly.FromDateTime(day.Start);
            foreach (var outcome in UsageOutcomes.All)
                Assert.Equal(tally.On(date, outcome), day[outcome]);
            Assert.Equal(tally.CountedBetween(date, date), day.Counted);
        }
        Assert.True(history.Days[1].Total > 100 && history.Days[2].Total > 100, "both days have calls");

        // Month totals: October's range and November's, each summing only its own days.
        var octoberHistory = await bed.Reports.DailyAsync(UsageTestBed.Admin, new(ApplicationId: storefront, From: new(2026, 10, 1), To: october31));
        var novemberHistory = await bed.Reports.DailyAsync(UsageTestBed.Admin, new(ApplicationId: storefront));
        Assert.Equal(new DateOnly(2026, 11, 30), novemberHistory.Range.To);
        foreach (var outcome in UsageOutcomes.All)
        {
            Assert.Equal(tally.Between(new(2026, 10, 1), october31, outcome), octoberHistory.Totals[outcome]);
            Assert.Equal(tally.Between(november1, new(2026, 11, 30), outcome), novemberHistory.Totals[outcome]);
        }
        var month = await bed.Reports.QuotaMonthAsync(UsageTestBed.Admin, new(ApplicationId: storefront));
        Assert.Equal(tally.CountedBetween(november1, new(2026, 11, 30)), Assert.Single(month.Applications).Used);

        // The day rollup and the minute rows agree, day by day, for every application.
        await using var db = bed.Database.CreateContext();
        var minutes = (await db.UsageMinutes.ToListAsync())
            .GroupBy(m => (m.ApplicationId, Day: DateOnly.FromDateTime(m.Minute), m.Environment, m.Outcome, m.Counted))
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Calls));
        var days = (await db.UsageDays.ToListAsync()).ToDictionary(d => (d.ApplicationId, d.Day, d.Environment, d.Outcome, d.Counted), d => d.Calls);
        Assert.Equal(minutes.OrderBy(m => m.Key).Select(m => (m.Key, m.Value)), days.OrderBy(d => d.Key).Select(d => (d.Key, d.Value)));
        Assert.Contains(days.Keys, k => k.ApplicationId == backoffice && k.Environment == "Staging");

        // The history's rows are the day rows folded by application, environment and day: as the meter added them, and
        // as the bulk fold (the usage generator's) makes them from the day rows alone.
        var expected = (await db.UsageDays.ToListAsync())
            .GroupBy(d => (d.ApplicationId, d.Day, d.Environment))
            .ToDictionary(g => g.Key, g => (
                Allowed: g.Where(d => UsageOutcomes.Of(d.Outcome) == UsageOutcome.Allowed).Sum(d => d.Calls),
                RateLimited: g.Where(d => UsageOutcomes.Of(d.Outcome) == UsageOutcome.RateLimited).Sum(d => d.Calls),
                OverQuota: g.Where(d => UsageOutcomes.Of(d.Outcome) == UsageOutcome.OverQuota).Sum(d => d.Calls),
                BadOrigin: g.Where(d => UsageOutcomes.Of(d.Outcome) == UsageOutcome.BadOrigin).Sum(d => d.Calls),
                BadKeys: g.Where(d => UsageOutcomes.Of(d.Outcome) == UsageOutcome.BadKeys).Sum(d => d.Calls),
                Other: g.Where(d => UsageOutcomes.Of(d.Outcome) == UsageOutcome.Other).Sum(d => d.Calls),
                Total: g.Sum(d => d.Calls),
                Counted: g.Where(d => d.Counted && d.Outcome == 0).Sum(d => d.Calls)));
        async Task AssertHistoryRowsAsync()
        {
            var stored = (await db.UsageApplicationDays.AsNoTracking().ToListAsync()).ToDictionary(
                d => (d.ApplicationId, d.Day, d.Environment),
                d => (d.Allowed, d.RateLimited, d.OverQuota, d.BadOrigin, d.BadKeys, d.Other, d.Total, d.Counted));
            Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Key, e.Value)), stored.OrderBy(e => e.Key).Select(e => (e.Key, e.Value)));
        }
        await AssertHistoryRowsAsync();
        Assert.Contains(expected.Values, v => v.Other > 0 && v.BadKeys > 0 && v.Counted > 0);
        await db.UsageApplicationDays.ExecuteDeleteAsync();
        await db.Database.ExecuteSqlRawAsync(UsageApplicationDay.FoldDaysSql);
        await AssertHistoryRowsAsync();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_last_hour_has_sixty_minutes_and_reads_only_the_viewers_account(DatabaseProvider provider)
    {
        using var bed = await UsageTestBed.CreateAsync(provider, MidNovember);
        var (_, owner, mine) = await bed.CreateAccountAsync("Acme", "Storefront");
        var (_, _, theirs) = await bed.CreateAccountAsync("Globex", "Portal");
        var now = bed.Clock.GetUtcNow().UtcDateTime;
        bed.Meter.Record(mine[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, now.AddMinutes(-59));
        bed.Meter.Record(mine[0], Guid.NewGuid(), ApplicationEnvironment.Live, 158, true, now.AddSeconds(30));
        bed.Meter.Record(mine[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, now.AddMinutes(-60)); // before the window
        bed.Meter.Record(theirs[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, now);
        await bed.Meter.FlushAsync(now);
        bed.Clock.Advance(TimeSpan.FromSeconds(45));

        var minutes = await bed.Reports.LastHourAsync(owner, new());
        Assert.Equal(60, minutes.Count);
        Assert.Equal(now.AddMinutes(-59), minutes[0].Start);
        Assert.Equal(now, minutes[^1].Start);
        Assert.Equal((1, 0), (minutes[0][UsageOutcome.Allowed], minutes[0][UsageOutcome.RateLimited]));
        Assert.Equal((0, 1), (minutes[^1][UsageOutcome.Allowed], minutes[^1][UsageOutcome.RateLimited]));
        Assert.Equal(2, minutes.Sum(m => m.Total));

        var everything = await bed.Reports.LastHourAsync(UsageTestBed.Support, new());
        Assert.Equal(3, everything.Sum(m => m.Total));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Reports.LastHourAsync(owner, new(ApplicationId: theirs[0])));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Owners_read_their_own_account_and_staff_read_all(DatabaseProvider provider)
    {
        using var bed = await UsageTestBed.CreateAsync(provider, MidNovember);
        var (acmeId, acmeOwner, acme) = await bed.CreateAccountAsync("Acme", "Storefront");
        var (globexId, _, globex) = await bed.CreateAccountAsync("Globex", "Portal");
        var now = bed.Clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < 3; i++) bed.Meter.Record(acme[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, now);
        for (var i = 0; i < 5; i++) bed.Meter.Record(globex[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, now);
        bed.Meter.Record(null, null, null, 204, true, now);
        await bed.Meter.FlushAsync(now);

        Assert.Equal(3, (await bed.Reports.DailyAsync(acmeOwner, new())).Totals.Total);
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Reports.DailyAsync(acmeOwner, new(AccountId: globexId)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Reports.DailyAsync(acmeOwner, new(ApplicationId: globex[0])));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Reports.OverviewAsync(acmeOwner));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Reports.DailyAsync(UsageTestBed.Support, new(AccountId: acmeId, ApplicationId: globex[0])));

        // Staff: every account, and with no account chosen the calls whose keys matched nothing too.
        Assert.Equal(9, (await bed.Reports.DailyAsync(UsageTestBed.Support, new())).Totals.Total);
        Assert.Equal(5, (await bed.Reports.DailyAsync(UsageTestBed.Support, new(AccountId: globexId))).Totals.Total);
        Assert.Equal(0, (await bed.Reports.DailyAsync(UsageTestBed.Support, new(AccountId: globexId, Environment: ApplicationEnvironment.Staging))).Totals.Total);
        var owned = await bed.Reports.QuotaMonthAsync(acmeOwner, new());
        Assert.Equal("Storefront", Assert.Single(owned.Applications).ApplicationName);
    }

    [Fact]
    public async Task Date_ranges_that_end_before_they_start_or_reach_past_the_history_kept_are_refused()
    {
        using var bed = await UsageTestBed.CreateAsync(DatabaseProvider.Sqlite, MidNovember);
        var today = new DateOnly(2026, 11, 15);

        var backwards = await Assert.ThrowsAsync<InvalidDateRangeException>(() => bed.Reports.DailyAsync(UsageTestBed.Admin, new(From: today, To: today.AddDays(-1))));
        Assert.Equal("The end date 2026-11-14 is before the start date 2026-11-15.", backwards.Message);
        var tooLong = Assert.Throws<InvalidDateRangeException>(() => bed.Reports.ResolveRange(new(From: today.AddDays(-10), To: today.AddDays(400))));
        Assert.Contains("at most 400 days", tooLong.Message);
        var tooOld = Assert.Throws<InvalidDateRangeException>(() => bed.Reports.ResolveRange(new(From: today.AddDays(-400), To: today.AddDays(-390))));
        Assert.Contains("on or after 2025-10-12", tooOld.Message);
        Assert.Equal(311, InvalidDateRangeException.Error.Code);

        Assert.Equal(new UsageReports.DateRange(new(2026, 11, 1), new(2026, 11, 30)), bed.Reports.ResolveRange(new()));
        Assert.Equal(new UsageReports.DateRange(new(2026, 11, 10), today), bed.Reports.ResolveRange(new(From: new(2026, 11, 10))));
        Assert.Equal(400, bed.Reports.ResolveRange(new(From: today.AddDays(-399), To: today)).Days);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Retention_deletes_minutes_past_their_window_and_keeps_day_totals(DatabaseProvider provider)
    {
        using var bed = await UsageTestBed.CreateAsync(provider, MidNovember);
        var (_, _, ids) = await bed.CreateAccountAsync("Acme", "Storefront");
        var now = bed.Clock.GetUtcNow().UtcDateTime;
        var old = now.AddDays(-bed.Options.MinuteRetentionDays).AddMinutes(-5);
        var ancient = now.AddDays(-bed.Options.DayRetentionDays - 1);
        foreach (var at in new[] { ancient, old, old.AddDays(-3), now.AddMinutes(-1) })
            bed.Meter.Record(ids[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, at);
        await bed.Meter.FlushAsync(now);

        var deleted = await bed.Retention.DeleteExpiredAsync();
        Assert.Equal(new UsageRetention.Deleted(3, 1), deleted);
        await using var db = bed.Database.CreateContext();
        Assert.Equal(now.AddMinutes(-1), (await db.UsageMinutes.SingleAsync()).Minute);
        Assert.Equal(3, await db.UsageDays.CountAsync());
        Assert.Equal(new UsageRetention.Deleted(0, 0), await bed.Retention.DeleteExpiredAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task History_rows_page_and_sort_in_the_database_and_the_export_has_the_same_rows(DatabaseProvider provider)
    {
        using var bed = await UsageTestBed.CreateAsync(provider, MidNovember);
        var (_, _, acme) = await bed.CreateAccountAsync("Acme", "Storefront", "Backoffice");
        var (_, _, globex) = await bed.CreateAccountAsync("Globex", "Portal");
        var start = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        for (var day = 0; day < 10; day++)
        {
            for (var i = 0; i <= day; i++) bed.Meter.Record(acme[0], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, start.AddDays(day));
            bed.Meter.Record(acme[1], Guid.NewGuid(), ApplicationEnvironment.Live, 158, true, start.AddDays(day));
            bed.Meter.Record(globex[0], Guid.NewGuid(), ApplicationEnvironment.Live, 225, true, start.AddDays(day));
        }
        bed.Meter.Record(null, null, null, 204, true, start);
        await bed.Meter.FlushAsync(start.AddDays(10));

        var filter = new UsageReports.Filter(From: new(2026, 11, 1), To: new(2026, 11, 10));
        var byTotal = new UsageReports.HistorySort(UsageReports.HistoryColumn.Total, Descending: true);
        var first = await bed.Reports.HistoryAsync(UsageTestBed.Support, filter, byTotal, 0, 5);
        Assert.Equal(31, first.Total);
        Assert.Equal([10L, 9, 8, 7, 6], first.Rows.Select(r => r.Total));
        Assert.All(first.Rows, r => Assert.Equal(("Storefront", "Acme", "Live"), (r.ApplicationName, r.AccountName, r.Environment)));

        var all = new List<UsageReports.HistoryRow>();
        for (var skip = 0; skip < 31; skip += 7) all.AddRange((await bed.Reports.HistoryAsync(UsageTestBed.Support, filter, byTotal, skip, 7)).Rows);
        Assert.Equal(31, all.Distinct().Count());
        var exported = new List<UsageReports.HistoryRow>();
        await foreach (var row in await bed.Reports.ExportHistoryAsync(UsageTestBed.Support, filter, byTotal)) exported.Add(row);
        Assert.Equal(all, exported);

        var unknown = Assert.Single(exported, r => r.ApplicationId == Guid.Empty);
        Assert.Equal((UsageReports.UnknownApplicationName, 1L, 1L), (unknown.ApplicationName, unknown.BadKeys, unknown.Total));
        Assert.All(exported.Where(r => r.ApplicationName == "Portal"), r => Assert.Equal((1L, 1L), (r.Other, r.Total)));

        // Names sort in the database's collation; these three sort alike in every collation.
        var byName = await bed.Reports.HistoryAsync(UsageTestBed.Support, filter, new(UsageReports.HistoryColumn.Application, Descending: false), 0, 100);
        Assert.Equal(["Backoffice", "Portal", "Storefront"], byName.Rows.Where(r => r.ApplicationId != Guid.Empty).Select(r => r.ApplicationName).Distinct());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_overview_ranks_quota_use_rate_limiting_and_lists_applications_over_quota(DatabaseProvider provider)
    {
        using var bed = await UsageTestBed.CreateAsync(provider, MidNovember);
        var (_, _, acme) = await bed.CreateAccountAsync("Acme", "Storefront", "Backoffice");
        var (_, _, globex) = await bed.CreateAccountAsync("Globex", "Portal");
        await using (var db = bed.Database.CreateContext())
        {
            var portal = await db.Applications.SingleAsync(a => a.Id == globex[0]);
            portal.MonthlyQuota = 10;
            portal.QuotaOverrunAllowance = 5;
            await db.SaveChangesAsync();
        }
        var now = bed.Clock.GetUtcNow().UtcDateTime;
        void Record(Guid application, int outcome, int calls) { for (var i = 0; i < calls; i++) bed.Meter.Record(application, Guid.NewGuid(), ApplicationEnvironment.Live, outcome, true, now); }
        Record(globex[0], 0, 12);
        Record(globex[0], 103, 4);
        Record(acme[0], 0, 500);
        Record(acme[0], 158, 7);
        Record(acme[1], 158, 20);
        // Last month's calls do not count towards this month's quota.
        bed.Meter.Record(acme[1], Guid.NewGuid(), ApplicationEnvironment.Live, 0, true, new DateTime(2026, 10, 31, 23, 59, 0, DateTimeKind.Utc));
        await bed.Meter.FlushAsync(now);

        var overview = await bed.Reports.OverviewAsync(UsageTestBed.Admin);
        Assert.Equal(["Portal", "Storefront", "Backoffice"], overview.ByQuotaUsed.Select(a => a.ApplicationName));
        var portalQuota = overview.ByQuotaUsed[0];
        Assert.Equal((10L, 5L, 12L, 120.0, 4L, 3L), (portalQuota.Quota, portalQuota.OverrunAllowance, portalQuota.Used, portalQuota.UsedPercent, portalQuota.RefusedOverQuota, portalQuota.AllowanceLeft));
        Assert.Equal(0, overview.ByQuotaUsed[2].Used);
        Assert.Equal(["Portal"], overview.OverQuota.Select(a => a.ApplicationName));
        Assert.Equal(["Backoffice", "Storefront"], overview.TopRateLimited.Select(a => a.ApplicationName));
        Assert.Equal(["Globex", "Acme"], overview.Accounts.Select(a => a.AccountName));
        Assert.Equal((2, 2_000L, 500L), (overview.Accounts[1].Applications, overview.Accounts[1].Quota, overview.Accounts[1].Used));
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), 16), (overview.Month.FirstDay, overview.Month.LastDay, overview.Month.DaysLeft));
        // 12 calls in 14.5 days of a 30-day month.
        Assert.Equal(25, portalQuota.Projected);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_fills_the_day_rollup_from_the_minutes_already_stored(DatabaseProvider provider)
    {
        using var database = new TestDatabase(provider);
        var applicationId = Guid.NewGuid();
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261123000300_KeyValidation");
            var minute = new DateTime(2026, 10, 31, 23, 58, 0, DateTimeKind.Utc);
            foreach (var (at, outcome, calls) in new[] { (minute, 0, 3L), (minute.AddMinutes(1), 0, 4L), (minute.AddMinutes(2), 0, 5L), (minute.AddMinutes(2), 158, 1L) })
                db.UsageMinutes.Add(new UsageMinute { ApplicationId = applicationId, Minute = at, KeyPairId = Guid.NewGuid(), Environment = "Live", Outcome = outcome, Counted = true, Calls = calls });
            await db.SaveChangesAsync();
        }
        await using (var db = database.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
            var days = await db.UsageDays.OrderBy(d => d.Day).ThenBy(d => d.Outcome).Select(d => new { d.Day, d.Outcome, d.Calls }).ToListAsync();
            Assert.Equal([(new DateOnly(2026, 10, 31), 0, 7L), (new DateOnly(2026, 11, 1), 0, 5L), (new DateOnly(2026, 11, 1), 158, 1L)],
                days.Select(d => (d.Day, d.Outcome, d.Calls)));
        }
    }
}
