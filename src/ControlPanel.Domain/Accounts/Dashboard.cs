using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>What each role's landing page shows, and the accounts list staff page through.</summary>
public sealed class Dashboard(IDbContextFactory<ControlPanelDbContext> databases, UsageReports usage, IOptions<ApiOptions> apiOptions)
{
    /// <summary>How full an application's monthly quota is, from harmless to refusing calls.</summary>
    public enum QuotaLevel
    {
        Normal,
        /// <summary>At or past the first notification threshold (80 % unless configured).</summary>
        NearQuota,
        /// <summary>Past the quota, living on the overrun allowance.</summary>
        InOverrun,
        /// <summary>Quota and allowance used up: counted calls answer 103 until the month ends.</summary>
        Spent,
    }

    public enum AlertLevel { Info, Warning, Error }

    public enum AlertKind { AccountLocked, QuotaSpent, InOverrun, Offline, NoKeyUsedYet }

    /// <summary>Something the owner should act on, with the application it is about (null for the account).</summary>
    public sealed record Alert(AlertKind Kind, AlertLevel Level, string Message, Guid? ApplicationId = null);

    /// <summary>One application on the owner's dashboard: its status and this month's quota use.</summary>
    /// <param name="SuspendedByAdmin">Taken offline by an Admin: only an Admin brings it back (shown as "Suspended", as on its page).</param>
    public sealed record ApplicationStatus(
        Guid Id, string Name, ApplicationEnvironment Environment, bool IsOnline,
        long Quota, long OverrunAllowance, long Used, long RefusedOverQuota, DateTime? KeyLastUsedAt, QuotaLevel Level, bool SuspendedByAdmin = false)
    {
        /// <summary>Used as a whole percentage of the quota; a zero quota counts as full from the first call.</summary>
        public int UsedPercent => Quota > 0 ? (int)Math.Floor(100.0 * Used / Quota) : Used > 0 ? 100 : 0;
    }

    public sealed record OwnerSummary(
        string AccountName, bool AccountLocked, DateOnly QuotaResetsOn, IReadOnlyList<ApplicationStatus> Applications, IReadOnlyList<Alert> Alerts);

    /// <summary>
    /// Whether a change (<see cref="DashboardChanges"/>) may alter what <paramref name="viewer"/>'s dashboard shows: staff see
    /// every account's figures; an owner their account and its applications (a null subject may be anything).
    /// </summary>
    public static bool Concerns(Viewer viewer, OwnerSummary? owner, Guid? subject) =>
        viewer.IsStaff || subject is null || subject == viewer.AccountId || owner?.Applications.Any(a => a.Id == subject) == true;

    public sealed record StaffSummary(int Accounts, int LockedAccounts, int Owners, int Applications, int OfflineApplications, int OverQuotaApplications);

    public async Task<OwnerSummary> ForOwnerAsync(Viewer viewer)
    {
        if (!viewer.IsMember || viewer.AccountId is not { } accountId) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId) ?? throw new AccessDeniedException();
        var month = await usage.QuotaMonthAsync(viewer, new UsageReports.Filter(AccountId: accountId));
        var lastUsed = await db.KeyPairs.AsNoTracking()
            .Where(k => db.Applications.Where(a => a.AccountId == accountId).Select(a => a.Id).Contains(k.ApplicationId))
            .GroupBy(k => k.ApplicationId)
            .Select(g => new { ApplicationId = g.Key, LastUsed = g.Max(k => k.LastUsedAt) })
            .ToDictionaryAsync(g => g.ApplicationId, g => g.LastUsed);
        var suspended = (await db.Applications.AsNoTracking().Where(a => a.AccountId == accountId && a.SuspendedByAdmin).Select(a => a.Id).ToListAsync()).ToHashSet();

        var nearQuota = apiOptions.Value.NotificationThresholds[0];
        var applications = month.Applications
            .Select(a => new ApplicationStatus(a.ApplicationId, a.ApplicationName, a.Environment, a.IsOnline, a.Quota, a.OverrunAllowance,
                a.Used, a.RefusedOverQuota, lastUsed.GetValueOrDefault(a.ApplicationId), Level(a, nearQuota), suspended.Contains(a.ApplicationId)))
            .ToList();
        var resetsOn = month.LastDay.AddDays(1);
        return new OwnerSummary(account.Name, account.IsLocked, resetsOn, applications, Alerts(account.IsLocked ? account.LockReason ?? "" : null, applications, resetsOn));
    }

    private static QuotaLevel Level(UsageReports.ApplicationQuota quota, int nearQuotaPercent) =>
        quota.Used >= quota.Quota + quota.OverrunAllowance ? QuotaLevel.Spent
        : quota.OverQuota ? QuotaLevel.InOverrun
        : quota.UsedPercent >= nearQuotaPercent ? QuotaLevel.NearQuota
        : QuotaLevel.Normal;

    /// <summary>The most urgent first: refusals (the lock, 103), then what will refuse or is refusing (overrun, offline), then hints.</summary>
    /// <param name="lockReason">Null when the account is not locked; else the reason staff gave (empty for locks made before reasons).</param>
    private static List<Alert> Alerts(string? lockReason, IReadOnlyList<ApplicationStatus> applications, DateOnly resetsOn)
    {
        var alerts = new List<Alert>();
        if (lockReason is not null)
            alerts.Add(new(AlertKind.AccountLocked, AlertLevel.Error,
                $"This account is locked: every API call of its applications is refused with {Error(ErrorCatalogue.AccountLocked)}."
                + (lockReason.Length > 0 ? $" The reason given: {lockReason}" : "") + " Contact support."));
        foreach (var a in applications.Where(a => a.Level == QuotaLevel.Spent))
            alerts.Add(new(AlertKind.QuotaSpent, AlertLevel.Error,
                $"{a.Name} has used its monthly quota{(a.OverrunAllowance > 0 ? " and its overrun allowance" : "")}: its calls are refused with {Error(ErrorCatalogue.QuotaExceeded)} until {resetsOn:yyyy-MM-dd} (UTC).",
                a.Id));
        foreach (var a in applications.Where(a => a.Level == QuotaLevel.InOverrun))
            alerts.Add(new(AlertKind.InOverrun, AlertLevel.Warning,
                $"{a.Name} is over its monthly quota: its calls now use the overrun allowance ({Math.Max(0, a.Quota + a.OverrunAllowance - a.Used):N0} of {a.OverrunAllowance:N0} calls left).",
                a.Id));
        foreach (var a in applications.Where(a => !a.IsOnline))
            alerts.Add(new(AlertKind.Offline, AlertLevel.Warning,
                $"{a.Name} is {(a.SuspendedByAdmin ? "suspended by an Admin" : "offline")}: its calls are refused with {Error(ErrorCatalogue.ApplicationOffline)}.", a.Id));
        foreach (var a in applications.Where(a => a.KeyLastUsedAt is null))
            alerts.Add(new(AlertKind.NoKeyUsedYet, AlertLevel.Info,
                $"{a.Name}'s keys have not been used yet: try a first call (see Getting started).", a.Id));
        return alerts;
    }

    private static string Error(ApiError error) => $"{error.Code} {error.Description}";

    public async Task<StaffSummary> ForStaffAsync(Viewer viewer)
    {
        if (!viewer.IsStaff) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var month = await usage.QuotaMonthAsync(viewer, new UsageReports.Filter());
        return new StaffSummary(
            await db.Accounts.CountAsync(),
            await db.Accounts.CountAsync(a => a.IsLocked),
            await db.Users.CountAsync(u => u.AccountId != null),
            month.Applications.Count,
            month.Applications.Count(a => !a.IsOnline),
            month.Applications.Count(a => a.OverQuota));
    }

    public sealed record AccountChoice(Guid Id, string Name, bool IsLocked);

    /// <summary>Every account, for staff pickers and filters.</summary>
    public async Task<IReadOnlyList<AccountChoice>> AccountsAsync(Viewer viewer)
    {
        if (!viewer.IsStaff) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        return await db.Accounts.AsNoTracking().OrderBy(a => a.Name).Select(a => new AccountChoice(a.Id, a.Name, a.IsLocked)).ToListAsync();
    }

    public enum AccountColumn { Name, Status, Applications, Created }

    /// <summary>A page of accounts: name contains <paramref name="Name"/> (any case), sorted by one column.</summary>
    public sealed record AccountQuery(
        string? Name = null, AccountColumn Sort = AccountColumn.Name, bool Descending = false, int Skip = 0, int Take = 25);

    /// <remarks>Set by initialisers rather than a constructor, so the database can sort by any column.</remarks>
    public sealed record AccountRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public bool IsLocked { get; init; }
        public DateTime? LockedAt { get; init; }
        public DateTime CreatedAt { get; init; }
        public int Applications { get; init; }
    }

    public sealed record AccountPage(IReadOnlyList<AccountRow> Rows, int Total);

    /// <summary>Accounts filtered, sorted and paged in the database (installations hold many).</summary>
    public async Task<AccountPage> ListAccountsAsync(Viewer viewer, AccountQuery query)
    {
        if (!viewer.IsStaff) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var accounts = db.Accounts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Name))
        {
            // Lower-cased on both sides: the same case-insensitive match on SQLite and PostgreSQL.
            var name = query.Name.Trim().ToLower();
            accounts = accounts.Where(a => a.Name.ToLower().Contains(name));
        }
        var rows = accounts.Select(a => new AccountRow
        {
            Id = a.Id,
            Name = a.Name,
            IsLocked = a.IsLocked,
            LockedAt = a.LockedAt,
            CreatedAt = a.CreatedAt,
            Applications = db.Applications.Count(x => x.AccountId == a.Id),
        });
        var total = await rows.CountAsync();
        var sorted = query.Sort switch
        {
            AccountColumn.Status => query.Descending ? rows.OrderByDescending(r => r.IsLocked) : rows.OrderBy(r => r.IsLocked),
            AccountColumn.Applications => query.Descending ? rows.OrderByDescending(r => r.Applications) : rows.OrderBy(r => r.Applications),
            AccountColumn.Created => query.Descending ? rows.OrderByDescending(r => r.CreatedAt) : rows.OrderBy(r => r.CreatedAt),
            _ => query.Descending ? rows.OrderByDescending(r => r.Name) : rows.OrderBy(r => r.Name),
        };
        // A stable order under every sort, so pages neither repeat nor skip accounts.
        var page = await sorted.ThenBy(r => r.Name).ThenBy(r => r.Id)
            .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 500)).ToListAsync();
        return new AccountPage(page, total);
    }
}
