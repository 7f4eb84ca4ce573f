using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Quotas;

/// <summary>What the UI shows about quotas: this month's state and the notifications sent.</summary>
public sealed class QuotaService(IDbContextFactory<ControlPanelDbContext> databases, ApplicationDirectory applications, QuotaLedger ledger, TimeProvider clock)
{
    /// <summary>The application's quota this month, over all instances (the counters the check leases from).</summary>
    public async Task<QuotaState> GetStateAsync(Viewer viewer, Guid applicationId)
    {
        await using var db = await databases.CreateDbContextAsync();
        await db.Applications.AsNoTracking().FindForReadAsync(viewer, a => a.Id == applicationId);
        var state = applications.Find(applicationId) ?? throw new AccessDeniedException();
        return await ledger.ReadAsync(state);
    }

    /// <summary>A notification sent this month with the application's quota as it stands now, for banners that must not go stale.</summary>
    public sealed record QuotaAlert(QuotaNotification Latest, QuotaState Now)
    {
        public Guid ApplicationId => Latest.ApplicationId;
    }

    /// <summary>
    /// This month's latest notification per application (fullest first, at most <paramref name="take"/>), each with
    /// the quota read now: a notification says what happened, the state says what is true (the allowance may be spent
    /// since, or the quota raised).
    /// </summary>
    public async Task<IReadOnlyList<QuotaAlert>> CurrentAlertsAsync(Viewer viewer, Guid? applicationId = null, int take = 5)
    {
        var month = QuotaState.MonthStart(clock.GetUtcNow().UtcDateTime);
        await using var db = await databases.CreateDbContextAsync();
        var notifications = db.QuotaNotifications.AsNoTracking().VisibleTo(viewer).Where(n => n.Month == month);
        if (applicationId is { } id) notifications = notifications.Where(n => n.ApplicationId == id);
        var latest = (await notifications.OrderByDescending(n => n.Id).Take(1000).ToListAsync())
            .GroupBy(n => n.ApplicationId).Select(g => g.First()).ToList();

        var alerts = new List<QuotaAlert>();
        foreach (var notification in latest)
        {
            // An application deleted since has no state to show.
            if (applications.Find(notification.ApplicationId) is not { } state) continue;
            alerts.Add(new QuotaAlert(notification, await ledger.ReadAsync(state)));
        }
        return alerts.OrderByDescending(a => a.Now.Standing).ThenByDescending(a => a.Latest.Percent).Take(take).ToList();
    }

    /// <summary>Notifications, newest first: an owner sees their own account's, staff see all (or one account's).</summary>
    public async Task<IReadOnlyList<QuotaNotification>> ListNotificationsAsync(Viewer viewer, Guid? applicationId = null, int take = 100)
    {
        await using var db = await databases.CreateDbContextAsync();
        var notifications = db.QuotaNotifications.AsNoTracking().VisibleTo(viewer);
        if (applicationId is { } id) notifications = notifications.Where(n => n.ApplicationId == id);
        return await notifications.OrderByDescending(n => n.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync();
    }
}
