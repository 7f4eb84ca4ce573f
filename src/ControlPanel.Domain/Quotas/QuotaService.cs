using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Quotas;

/// <summary>What the UI shows about quotas: this month's state and the notifications sent.</summary>
public sealed class QuotaService(IDbContextFactory<ControlPanelDbContext> databases, ApplicationDirectory applications, QuotaLedger ledger)
{
    /// <summary>The application's quota this month, over all instances (the counters the check leases from).</summary>
    public async Task<QuotaState> GetStateAsync(Viewer viewer, Guid applicationId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var accountId = await db.Applications.Where(a => a.Id == applicationId).Select(a => (Guid?)a.AccountId).SingleOrDefaultAsync();
        if (accountId is not { } id || !viewer.CanRead(id)) throw new AccessDeniedException();
        var state = applications.Find(applicationId) ?? throw new AccessDeniedException();
        return await ledger.ReadAsync(state);
    }

    /// <summary>Notifications, newest first: an owner sees their own account's, staff see all (or one account's).</summary>
    public async Task<IReadOnlyList<QuotaNotification>> ListNotificationsAsync(Viewer viewer, Guid? applicationId = null, int take = 100)
    {
        await using var db = await databases.CreateDbContextAsync();
        var notifications = db.QuotaNotifications.AsNoTracking();
        if (viewer.IsOwner) notifications = notifications.Where(n => n.AccountId == viewer.AccountId);
        else if (!viewer.IsStaff) throw new AccessDeniedException();
        if (applicationId is { } id) notifications = notifications.Where(n => n.ApplicationId == id);
        return await notifications.OrderByDescending(n => n.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync();
    }
}
