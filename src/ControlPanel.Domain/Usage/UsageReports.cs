using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Usage;

/// <summary>
/// What the usage pages, the admin overview and the CSV export show. History reads the per-day
/// rollup and the last hour reads minute rows, always through an index; nothing scans raw events.
/// Owners see their own account; staff see every account; nobody sees key material here.
/// </summary>
public sealed class UsageReports(
    IDbContextFactory<ControlPanelDbContext> databases,
    IOptions<UsageOptions> usageOptions,
    IOptions<ApiOptions> apiOptions,
    TimeProvider clock,
    ResourceCatalogue resources)
{
    /// <summary>
    /// What to report on. A null part means "every one the viewer may read"; dates are UTC days, both inclusive.
    /// <paramref name="Range"/> is the usage page's preset (its dates are <paramref name="From"/>/<paramref name="To"/>
    /// only for <see cref="UsageRangePreset.Custom"/>); without one the dates alone decide (the API's way).
    /// </summary>
    public sealed record Filter(
        Guid? AccountId = null, Guid? ApplicationId = null, ApplicationEnvironment? Environment = null,
        DateOnly? From = null, DateOnly? To = null, UsageRangePreset? Range = null);

    /// <summary>A chart's bars over a period (minutes, hours or days), by outcome, and their totals.</summary>
    public sealed record Timeline(UsagePeriod Period, IReadOnlyList<UsageCounts> Points, UsageCounts Totals);

    public sealed record DateRange(DateOnly From, DateOnly To)
    {
        public int Days => To.DayNumber - From.DayNumber + 1;
    }

    /// <summary>The days of a range, each with its calls by outcome, and the range's totals.</summary>
    public sealed record History(DateRange Range, IReadOnlyList<UsageCounts> Days, UsageCounts Totals);

    /// <summary>One application's quota this month.</summary>
    public sealed record ApplicationQuota(
        Guid ApplicationId, string ApplicationName, Guid AccountId, string AccountName, bool AccountLocked,
        ApplicationEnvironment Environment, bool IsOnline, long Quota, long OverrunAllowance,
        long Used, long RateLimited, long RefusedOverQuota, long Projected)
    {
        /// <summary>Used as a percentage of the quota; a zero quota counts as full from the first call.</summary>
        public double UsedPercent => Quota > 0 ? 100.0 * Used / Quota : Used > 0 ? 100 : 0;
        /// <summary>Past the quota and living on the overrun allowance (or refused with 103 once it is spent).</summary>
        public bool OverQuota => Used > Quota;
        public long AllowanceLeft => Math.Max(0, Quota + OverrunAllowance - Used);
    }

    /// <summary>The current calendar month (UTC) and its applications' quotas.</summary>
    public sealed record QuotaMonth(DateOnly FirstDay, DateOnly LastDay, int DaysLeft, IReadOnlyList<ApplicationQuota> Applications);

    /// <summary>
    /// One account this month. Quotas belong to applications, so an account is as full as its fullest application
    /// (<paramref name="Fullest"/>); <paramref name="Quota"/> is the sum of its applications' quotas, not a limit of its own.
    /// </summary>
    public sealed record AccountQuota(Guid AccountId, string AccountName, bool IsLocked, int Applications, long Quota, long Used, long RateLimited, ApplicationQuota Fullest);

    /// <summary>The admin overview: who uses most of their quota, who hits rate limits, who is over quota.</summary>
    public sealed record Overview(
        QuotaMonth Month, IReadOnlyList<AccountQuota> Accounts, IReadOnlyList<ApplicationQuota> ByQuotaUsed,
        IReadOnlyList<ApplicationQuota> TopRateLimited, IReadOnlyList<ApplicationQuota> OverQuota);

    /// <summary>One row of the history table and the CSV file: one application's calls on one day.</summary>
    /// <remarks>Set by initialisers rather than a constructor, so the database can sort and page by any column.</remarks>
    public sealed record HistoryRow
    {
        public DateOnly Day { get; init; }
        public Guid ApplicationId { get; init; }
        public string ApplicationName { get; init; } = "";
        public string AccountName { get; init; } = "";
        public string Environment { get; init; } = "";
        // One property per outcome, named by its column: read and filled through UsageOutcomeColumns, never one by one.
        public long Allowed { get; init; }
        public long RateLimited { get; init; }
        public long OverQuota { get; init; }
        public long BadOrigin { get; init; }
        public long BadKeys { get; init; }
        public long Other { get; init; }
        public long Total { get; init; }
        /// <summary>Allowed calls that count towards the monthly quota.</summary>
        public long Counted { get; init; }

        public long this[UsageOutcome outcome] => UsageOutcomeColumns<HistoryRow>.Get(this, outcome);
    }

    /// <summary>A column of the history table (and the CSV file's sort): the day, a name, an outcome's calls, the total or the counted calls.</summary>
    public readonly record struct HistoryColumn
    {
        private HistoryColumn(string name) => Name = name;

        public string Name { get; }

        public static HistoryColumn Day { get; } = new(nameof(Day));
        public static HistoryColumn Application { get; } = new(nameof(Application));
        public static HistoryColumn Account { get; } = new(nameof(Account));
        public static HistoryColumn Environment { get; } = new(nameof(Environment));
        public static HistoryColumn Total { get; } = new(nameof(Total));
        public static HistoryColumn Counted { get; } = new(nameof(Counted));

        public static HistoryColumn Of(UsageOutcome outcome) => new(outcome.Definition().Column);

        /// <summary>The outcome whose calls this column shows, if it is one of theirs.</summary>
        public UsageOutcome? Outcome => UsageOutcomes.TryParseColumn(Name, out var outcome) ? outcome : null;

        /// <summary>A column by its name, in any case (the table's sort label and the CSV address's <c>sort</c>).</summary>
        public static bool TryParse(string? name, out HistoryColumn column)
        {
            if (UsageOutcomes.TryParseColumn(name, out var outcome))
            {
                column = Of(outcome);
                return true;
            }
            foreach (var named in (HistoryColumn[])[Day, Application, Account, Environment, Total, Counted])
                if (string.Equals(named.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    column = named;
                    return true;
                }
            column = Day;
            return false;
        }

        public override string ToString() => Name;
    }

    public sealed record HistorySort(HistoryColumn Column, bool Descending = true)
    {
        /// <summary>Newest day first, the table's first order.</summary>
        public HistorySort() : this(HistoryColumn.Day) { }
    }

    public sealed record HistoryPage(IReadOnlyList<HistoryRow> Rows, int Total);

    /// <summary>One resource's calls over a range: by outcome in all, and per day of the range.</summary>
    public sealed record ResourceUsage(Guid ResourceId, string Resource, UsageCounts Totals, IReadOnlyList<long> CallsPerDay);

    /// <summary>The calls of a range's days by resource, most called first.</summary>
    public sealed record ResourceBreakdown(DateRange Range, IReadOnlyList<ResourceUsage> Resources);

    /// <summary>One row of the CSV file by resource: one application's calls to one resource on one day.</summary>
    public sealed record ResourceHistoryRow
    {
        public DateOnly Day { get; init; }
        public Guid ApplicationId { get; init; }
        public string ApplicationName { get; init; } = "";
        public string AccountName { get; init; } = "";
        public string Environment { get; init; } = "";
        public Guid ResourceId { get; init; }
        public string Resource { get; init; } = "";
        // One property per outcome, named by its column: read and filled through UsageOutcomeColumns, never one by one.
        public long Allowed { get; init; }
        public long RateLimited { get; init; }
        public long OverQuota { get; init; }
        public long BadOrigin { get; init; }
        public long BadKeys { get; init; }
        public long Other { get; init; }
        public long Total { get; init; }

        public long this[UsageOutcome outcome] => UsageOutcomeColumns<ResourceHistoryRow>.Get(this, outcome);
    }

    /// <summary>Shown for calls whose keys matched no application (staff see them when no account is chosen).</summary>
    public const string UnknownApplicationName = "(unrecognised keys)";

    /// <summary>
    /// The filter's dates, or the current month when none are given; refuses a range that ends before
    /// it starts, is longer than the history kept, or starts before it (API error 311).
    /// </summary>
    public DateRange ResolveRange(Filter filter) => ResolvePeriod(filter).Days;

    /// <summary>
    /// The period of the filter's preset (now, by the clock), or of its dates as <see cref="ResolveRange"/> checks them;
    /// a custom range may not end in the future.
    /// </summary>
    public UsagePeriod ResolvePeriod(Filter filter)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (filter.Range is { } preset && preset != UsageRangePreset.Custom) return UsageRanges.Resolve(preset, now);
        var range = CheckDates(filter);
        if (filter.Range == UsageRangePreset.Custom && range.To > Today)
            throw new InvalidDateRangeException($"The end date {range.To:yyyy-MM-dd} is in the future: choose today ({Today:yyyy-MM-dd}) or earlier.");
        return UsageRanges.Resolve(UsageRangePreset.Custom, now, range.From, range.To);
    }

    private DateRange CheckDates(Filter filter)
    {
        var today = Today;
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var from = filter.From ?? (filter.To is { } to0 ? to0.AddDays(1 - DateTime.DaysInMonth(to0.Year, to0.Month)) : monthStart);
        var to = filter.To ?? (filter.From is null ? monthStart.AddMonths(1).AddDays(-1) : today);
        var keep = usageOptions.Value.DayRetentionDays;
        if (to < from)
            throw new InvalidDateRangeException($"The end date {to:yyyy-MM-dd} is before the start date {from:yyyy-MM-dd}.");
        var range = new DateRange(from, to);
        if (range.Days > keep)
            throw new InvalidDateRangeException($"A date range can cover at most {keep} days (usage history is kept for {keep} days); this one covers {range.Days}.");
        var oldest = usageOptions.Value.OldestDayKept(today);
        if (from < oldest)
            throw new InvalidDateRangeException($"Usage history is kept for {keep} days: choose a start date on or after {oldest:yyyy-MM-dd}.");
        return range;
    }

    /// <summary>Calls per day of the range, by outcome, with every day present (zero when there were none).</summary>
    public async Task<History> DailyAsync(Viewer viewer, Filter filter)
    {
        var range = ResolveRange(filter);
        await using var db = await databases.CreateDbContextAsync();
        var scope = await ScopeAsync(db, viewer, filter);
        var rows = await Days(db, scope)
            .Where(d => d.Day >= range.From && d.Day <= range.To)
            .GroupBy(d => new { d.Day, d.Outcome, d.Counted })
            .Select(g => new { g.Key.Day, g.Key.Outcome, g.Key.Counted, Calls = g.Sum(d => d.Calls) })
            .ToListAsync();

        var days = new UsageCounts.Builder[range.Days];
        for (var i = 0; i < days.Length; i++) days[i] = new(range.From.AddDays(i).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var totals = new UsageCounts.Builder(range.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        foreach (var row in rows)
        {
            days[row.Day.DayNumber - range.From.DayNumber].Add(row.Outcome, row.Counted, row.Calls);
            totals.Add(row.Outcome, row.Counted, row.Calls);
        }
        return new History(range, days.Select(d => d.Build()).ToList(), totals.Build());
    }

    /// <summary>Calls per minute for the last hour (60 minutes up to and including the current one), by outcome.</summary>
    public async Task<IReadOnlyList<UsageCounts>> LastHourAsync(Viewer viewer, Filter filter) =>
        (await LiveAsync(viewer, filter, UsageLiveWindow.OneHour)).Points;

    /// <summary>The live chart: the window up to and including the current bucket, read from the per-minute rows.</summary>
    public Task<Timeline> LiveAsync(Viewer viewer, Filter filter, UsageLiveWindow window) =>
        RecentAsync(viewer, filter, UsageRanges.Live(window, clock.GetUtcNow().UtcDateTime));

    /// <summary>The range chart of the filter's preset or dates: by minute or hour for the last hour or day, else by day.</summary>
    public async Task<Timeline> TimelineAsync(Viewer viewer, Filter filter)
    {
        var period = ResolvePeriod(filter);
        if (period.Bucket < TimeSpan.FromDays(1)) return await RecentAsync(viewer, filter, period);
        var history = await DailyAsync(viewer, filter with { From = period.FirstDay, To = period.LastDay, Range = null });
        return new Timeline(period, history.Days, history.Totals);
    }

    /// <summary>Minute rows added up into the period's buckets (every bucket present, zero when there were none).</summary>
    private async Task<Timeline> RecentAsync(Viewer viewer, Filter filter, UsagePeriod period)
    {
        await using var db = await databases.CreateDbContextAsync();
        var scope = await ScopeAsync(db, viewer, filter);
        var (first, end) = (period.Start, period.End);
        var rows = await Minutes(db, scope)
            .Where(m => m.Minute >= first && m.Minute < end)
            .GroupBy(m => new { m.Minute, m.Outcome, m.Counted })
            .Select(g => new { g.Key.Minute, g.Key.Outcome, g.Key.Counted, Calls = g.Sum(m => m.Calls) })
            .ToListAsync();

        var buckets = new UsageCounts.Builder[period.Buckets];
        for (var i = 0; i < buckets.Length; i++) buckets[i] = new(first + period.Bucket * i);
        var totals = new UsageCounts.Builder(first);
        foreach (var row in rows)
        {
            var index = (int)((row.Minute.Ticks - first.Ticks) / period.Bucket.Ticks);
            if (index < 0 || index >= buckets.Length) continue;
            buckets[index].Add(row.Outcome, row.Counted, row.Calls);
            totals.Add(row.Outcome, row.Counted, row.Calls);
        }
        return new Timeline(period, buckets.Select(b => b.Build()).ToList(), totals.Build());
    }

    /// <summary>This month's quota of every application in scope (the filter's dates do not apply), fullest first.</summary>
    public async Task<QuotaMonth> QuotaMonthAsync(Viewer viewer, Filter filter)
    {
        await using var db = await databases.CreateDbContextAsync();
        var scope = await ScopeAsync(db, viewer, filter with { Environment = null });
        var applications = Applications(db, scope);
        if (filter.Environment is { } environment) applications = applications.Where(a => a.Environment == environment);
        return await QuotaMonthAsync(db, applications, Days(db, scope));
    }

    /// <summary>Accounts and applications by quota used this month, the most rate-limited applications, and those over quota.</summary>
    public async Task<Overview> OverviewAsync(Viewer viewer, int top = 10)
    {
        if (!viewer.IsStaff) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var month = await QuotaMonthAsync(db, db.Applications, db.UsageDays);
        var accounts = month.Applications
            .GroupBy(a => (a.AccountId, a.AccountName, a.AccountLocked))
            // Applications come fullest first, so each group's first is its fullest.
            .Select(g => new AccountQuota(g.Key.AccountId, g.Key.AccountName, g.Key.AccountLocked, g.Count(), g.Sum(a => a.Quota), g.Sum(a => a.Used), g.Sum(a => a.RateLimited), g.First()))
            .OrderByDescending(a => a.Fullest.UsedPercent).ThenByDescending(a => a.Used).ThenBy(a => a.AccountName)
            .Take(top).ToList();
        return new Overview(
            month with { Applications = [] },
            accounts,
            month.Applications.Take(top).ToList(),
            month.Applications.Where(a => a.RateLimited > 0).OrderByDescending(a => a.RateLimited).ThenBy(a => a.ApplicationName).Take(top).ToList(),
            month.Applications.Where(a => a.OverQuota).ToList());
    }

    /// <summary>One page of the history table: calls per application per day, sorted as asked.</summary>
    public async Task<HistoryPage> HistoryAsync(Viewer viewer, Filter filter, HistorySort sort, int skip, int take)
    {
        var range = ResolveRange(filter);
        await using var db = await databases.CreateDbContextAsync();
        var scope = await ScopeAsync(db, viewer, filter);
        var days = HistoryDays(db, scope, range);
        var total = await days.CountAsync();
        var page = await Sorted(db, days, sort, Math.Max(0, skip), Math.Clamp(take, 1, 1000)).ToListAsync();
        return new HistoryPage(page, total);
    }

    /// <summary>
    /// Every history row of the filter in the table's order, streamed (for the CSV file). The viewer
    /// and the range are checked before the first row is read.
    /// </summary>
    public async Task<IAsyncEnumerable<HistoryRow>> ExportHistoryAsync(Viewer viewer, Filter filter, HistorySort sort)
    {
        var range = ResolveRange(filter);
        Scope scope;
        await using (var db = await databases.CreateDbContextAsync())
            scope = await ScopeAsync(db, viewer, filter);
        return Stream(scope, range, sort);
    }

    private async IAsyncEnumerable<HistoryRow> Stream(Scope scope, DateRange range, HistorySort sort)
    {
        await using var db = await databases.CreateDbContextAsync();
        await foreach (var row in Sorted(db, HistoryDays(db, scope, range), sort).AsAsyncEnumerable())
            yield return row;
    }

    /// <summary>
    /// Calls and refusals by resource over the days the filter's period touches (the per-resource rollup is by day), each
    /// resource with its calls per day; read from <see cref="UsageResourceDay"/> rows only.
    /// </summary>
    public async Task<ResourceBreakdown> ResourcesAsync(Viewer viewer, Filter filter)
    {
        var range = ResolvePeriod(filter).Days;
        await using var db = await databases.CreateDbContextAsync();
        var scope = await ScopeAsync(db, viewer, filter);
        var rows = await ResourceDays(db, scope, range)
            .GroupBy(d => new { d.ResourceId, d.Day, d.Outcome })
            .Select(g => new { g.Key.ResourceId, g.Key.Day, g.Key.Outcome, Calls = g.Sum(d => d.Calls) })
            .ToListAsync();
        var start = range.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var byResource = rows.GroupBy(r => r.ResourceId).Select(g =>
            {
                var totals = new UsageCounts.Builder(start);
                var perDay = new long[range.Days];
                foreach (var row in g)
                {
                    totals.Add(row.Outcome, false, row.Calls);
                    perDay[row.Day.DayNumber - range.From.DayNumber] += row.Calls;
                }
                return new ResourceUsage(g.Key, resources.TitleOf(g.Key), totals.Build(), perDay);
            })
            .OrderByDescending(r => r.Totals.Total).ThenBy(r => r.Resource, StringComparer.Ordinal)
            .ToList();
        return new ResourceBreakdown(range, byResource);
    }

    /// <summary>
    /// Every row of the filter's days by application and resource, newest day first (for the CSV file by resource). The
    /// viewer and the range are checked before the first row is read.
    /// </summary>
    public async Task<IAsyncEnumerable<ResourceHistoryRow>> ExportResourcesAsync(Viewer viewer, Filter filter)
    {
        var range = ResolveRange(filter);
        Scope scope;
        await using (var db = await databases.CreateDbContextAsync())
            scope = await ScopeAsync(db, viewer, filter);
        return StreamResources(scope, range);
    }

    private async IAsyncEnumerable<ResourceHistoryRow> StreamResources(Scope scope, DateRange range)
    {
        await using var db = await databases.CreateDbContextAsync();
        // Summed by outcome code in the database, then each (day, application, environment, resource)'s codes, which
        // come one after another in this order, folded into one row by the outcome list.
        var sums = ResourceDays(db, scope, range)
            .GroupBy(d => new { d.Day, d.ApplicationId, d.Environment, d.ResourceId, d.Outcome })
            .Select(g => new { g.Key.Day, g.Key.ApplicationId, g.Key.Environment, g.Key.ResourceId, g.Key.Outcome, Calls = g.Sum(d => d.Calls) });
        var named =
            from d in sums
            join a in WithDeleted(db) on d.ApplicationId equals a.Id into matched
            from a in matched.DefaultIfEmpty()
            orderby d.Day descending, d.ApplicationId, d.Environment, d.ResourceId
            select new { d, ApplicationName = a == null ? UnknownApplicationName : a.DeletedAt == null ? a.Name : a.Name + Application.DeletedSuffix, AccountName = a == null ? "" : a.Account!.Name };
        ResourceHistoryRow? current = null;
        var calls = new long[UsageOutcomes.All.Count];
        await foreach (var row in named.AsAsyncEnumerable())
        {
            if (current is not null && (current.Day, current.ApplicationId, current.Environment, current.ResourceId) != (row.d.Day, row.d.ApplicationId, row.d.Environment, row.d.ResourceId))
            {
                yield return Filled(current, calls);
                Array.Clear(calls);
                current = null;
            }
            current ??= new ResourceHistoryRow
            {
                Day = row.d.Day,
                ApplicationId = row.d.ApplicationId,
                ApplicationName = row.ApplicationName,
                AccountName = row.AccountName,
                Environment = row.d.Environment,
                ResourceId = row.d.ResourceId,
                Resource = resources.TitleOf(row.d.ResourceId),
            };
            calls[(int)UsageOutcomes.Of(row.d.Outcome)] += row.d.Calls;
        }
        if (current is not null) yield return Filled(current, calls);

        static ResourceHistoryRow Filled(ResourceHistoryRow row, long[] calls)
        {
            foreach (var outcome in UsageOutcomes.All) UsageOutcomeColumns<ResourceHistoryRow>.Set(row, outcome, calls[(int)outcome]);
            return row with { Total = calls.Sum() };
        }
    }

    private static IQueryable<UsageResourceDay> ResourceDays(ControlPanelDbContext db, Scope scope, DateRange range) =>
        InScope(db, db.UsageResourceDays, scope).Where(d => d.Day >= range.From && d.Day <= range.To);

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Who and what the viewer may read, narrowed by the filter.</summary>
    private sealed record Scope(Guid? AccountId, Guid? ApplicationId, string? Environment);

    private static async Task<Scope> ScopeAsync(ControlPanelDbContext db, Viewer viewer, Filter filter)
    {
        var accountId = filter.AccountId;
        // An owner's questions are about their own account: asking about another one is refused, not answered empty.
        if (AccountScope.VisibleAccount(viewer) is { } own)
        {
            if (accountId is { } asked && asked != own) throw new AccessDeniedException();
            accountId = own;
        }
        if (filter.ApplicationId is { } applicationId)
        {
            var application = await db.Applications.AsNoTracking().FindForReadAsync(viewer, a => a.Id == applicationId);
            if (accountId is { } chosen && chosen != application.AccountId) throw new AccessDeniedException();
        }
        return new Scope(accountId, filter.ApplicationId, filter.Environment?.ToString());
    }

    /// <summary>Applications deleted ones included: their usage history stays the account's, named "(deleted)".</summary>
    private static IQueryable<Application> WithDeleted(ControlPanelDbContext db) => db.Applications.IgnoreQueryFilters().AsNoTracking();

    private static IQueryable<Application> Applications(ControlPanelDbContext db, Scope scope)
    {
        var applications = db.Applications.AsNoTracking();
        if (scope.ApplicationId is { } applicationId) applications = applications.Where(a => a.Id == applicationId);
        else if (scope.AccountId is { } accountId) applications = applications.Where(a => a.AccountId == accountId);
        return applications;
    }

    private static IQueryable<UsageDay> Days(ControlPanelDbContext db, Scope scope) => InScope(db, db.UsageDays, scope);

    private static IQueryable<UsageMinute> Minutes(ControlPanelDbContext db, Scope scope) => InScope(db, db.UsageMinutes, scope);

    /// <summary>The usage rows of the scope's application, account and environment.</summary>
    private static IQueryable<TRow> InScope<TRow>(ControlPanelDbContext db, IQueryable<TRow> rows, Scope scope) where TRow : class, IUsageRow
    {
        rows = rows.AsNoTracking();
        // Staff with no account chosen read every row, unrecognised keys included, without a join.
        if (scope.ApplicationId is { } applicationId) rows = rows.Where(r => r.ApplicationId == applicationId);
        else if (scope.AccountId is { } accountId) rows = rows.Where(r => WithDeleted(db).Where(a => a.AccountId == accountId).Select(a => a.Id).Contains(r.ApplicationId));
        if (scope.Environment is { } environment) rows = rows.Where(r => r.Environment == environment);
        return rows;
    }

    private async Task<QuotaMonth> QuotaMonthAsync(ControlPanelDbContext db, IQueryable<Application> applications, IQueryable<UsageDay> days)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var monthStart = QuotaState.MonthStart(now);
        var monthEnd = monthStart.AddMonths(1);
        var firstDay = DateOnly.FromDateTime(monthStart);
        var defaultQuota = apiOptions.Value.DefaultMonthlyQuota;

        // The stored codes, from the one place outcomes are defined (captured as query parameters).
        var rateLimited = UsageOutcomes.CodeOf(UsageOutcome.RateLimited);
        var overQuota = UsageOutcomes.CodeOf(UsageOutcome.OverQuota);
        var sums = await days
            .Where(d => d.Day >= firstDay)
            .GroupBy(d => d.ApplicationId)
            .Select(g => new
            {
                ApplicationId = g.Key,
                Used = g.Sum(d => d.Counted && d.Outcome == 0 ? d.Calls : 0),
                RateLimited = g.Sum(d => d.Outcome == rateLimited ? d.Calls : 0),
                RefusedOverQuota = g.Sum(d => d.Outcome == overQuota ? d.Calls : 0),
            })
            .ToDictionaryAsync(s => s.ApplicationId);
        var rows = await applications
            .Select(a => new
            {
                a.Id,
                a.Name,
                a.AccountId,
                AccountName = a.Account!.Name,
                AccountLocked = a.Account.IsLocked,
                a.Environment,
                a.IsOnline,
                a.MonthlyQuota,
                a.QuotaOverrunAllowance,
            })
            .ToListAsync();

        // Straight-line projection from the month so far; in its first hour the month has too little to go on.
        var elapsed = (now - monthStart).TotalHours;
        var monthHours = (monthEnd - monthStart).TotalHours;
        long Project(long used) => elapsed < 1 ? used : (long)Math.Round(used * monthHours / elapsed);

        var quotas = rows
            .Select(a =>
            {
                var sum = sums.GetValueOrDefault(a.Id);
                var used = sum?.Used ?? 0;
                return new ApplicationQuota(a.Id, a.Name, a.AccountId, a.AccountName, a.AccountLocked, a.Environment, a.IsOnline,
                    a.MonthlyQuota ?? defaultQuota, a.QuotaOverrunAllowance, used, sum?.RateLimited ?? 0, sum?.RefusedOverQuota ?? 0, Project(used));
            })
            .OrderByDescending(a => a.UsedPercent).ThenByDescending(a => a.Used).ThenBy(a => a.ApplicationName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var daysLeft = (int)Math.Ceiling((monthEnd - now).TotalDays);
        return new QuotaMonth(firstDay, DateOnly.FromDateTime(monthEnd).AddDays(-1), daysLeft, quotas);
    }

    private static IQueryable<UsageApplicationDay> HistoryDays(ControlPanelDbContext db, Scope scope, DateRange range) =>
        InScope(db, db.UsageApplicationDays, scope).Where(d => d.Day >= range.From && d.Day <= range.To);

    /// <summary>
    /// The history rows in the table's order, a page of them when <paramref name="take"/> is given. A stable order under
    /// every sort (ties end in the row's key), so pages neither repeat nor skip rows. Sorted by a number, the day or the
    /// environment, the rows are ordered and paged by their own columns and only then named (a join per row of a year of
    /// every account is what made this page slow); sorted by a name, they are named first.
    /// </summary>
    private static IQueryable<HistoryRow> Sorted(ControlPanelDbContext db, IQueryable<UsageApplicationDay> days, HistorySort sort, int skip = 0, int? take = null)
    {
        var descending = sort.Descending;
        if (sort.Column == HistoryColumn.Application || sort.Column == HistoryColumn.Account)
        {
            var named = Named(db, days);
            var byName = sort.Column == HistoryColumn.Application ? Order(named, r => r.ApplicationName, descending) : Order(named, r => r.AccountName, descending);
            var rows = byName.ThenByDescending(r => r.Day).ThenBy(r => r.ApplicationId).ThenBy(r => r.Environment).Skip(skip);
            return take is { } count ? rows.Take(count) : rows;
        }
        var column = sort.Column;
        var ordered = (column.Outcome is { } outcome ? Order(days, UsageOutcomeColumns<UsageApplicationDay>.Selector(outcome), descending)
            : column == HistoryColumn.Environment ? Order(days, d => d.Environment, descending)
            : column == HistoryColumn.Total ? Order(days, d => d.Total, descending)
            : column == HistoryColumn.Counted ? Order(days, d => d.Counted, descending)
            : Order(days, d => d.Day, descending)).ThenByDescending(d => d.Day).ThenBy(d => d.ApplicationId).ThenBy(d => d.Environment);
        var page = ordered.Skip(skip);
        return Named(db, take is { } pageSize ? page.Take(pageSize) : page);
    }

    private static IQueryable<HistoryRow> Named(ControlPanelDbContext db, IQueryable<UsageApplicationDay> days) =>
        days.LeftJoin(WithDeleted(db), d => d.ApplicationId, a => a.Id, NamedRow);

    /// <summary>A stored history row with its application's and account's names, and every outcome's calls copied over.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<UsageApplicationDay, Application?, HistoryRow>> NamedRow =
        UsageOutcomeColumns<UsageApplicationDay>.CopiedInto<Application?, HistoryRow>((d, a) => new HistoryRow
        {
            Day = d.Day,
            ApplicationId = d.ApplicationId,
            ApplicationName = a == null ? UnknownApplicationName : a.DeletedAt == null ? a.Name : a.Name + Application.DeletedSuffix,
            AccountName = a == null ? "" : a.Account!.Name,
            Environment = d.Environment,
            Total = d.Total,
            Counted = d.Counted,
        });

    private static IOrderedQueryable<T> Order<T, TKey>(IQueryable<T> rows, System.Linq.Expressions.Expression<Func<T, TKey>> key, bool descending) =>
        descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
}
