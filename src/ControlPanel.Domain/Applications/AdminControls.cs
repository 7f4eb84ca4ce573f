using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Applications;

/// <summary>
/// What only admins change: quotas and overrun allowances, rate-limit overrides, an application's
/// online status and account locks. Every change is validated, audited and in force for the next
/// call once the method returns.
/// </summary>
public sealed class AdminControls(IDbContextFactory<ControlPanelDbContext> databases, ChangeFeed changes, TimeProvider clock)
{
    /// <param name="monthlyQuota">Counted calls per month; null returns to the configured default.</param>
    /// <param name="overrunAllowance">Calls allowed beyond the quota; 0 for none.</param>
    public async Task SetQuotaAsync(Viewer viewer, Guid applicationId, long? monthlyQuota, long overrunAllowance)
    {
        if (monthlyQuota is < 0 or > Application.MaxQuota) throw new ValidationException($"The monthly quota must be from 0 to {Application.MaxQuota:N0} calls.");
        if (overrunAllowance is < 0 or > Application.MaxQuota) throw new ValidationException($"The overrun allowance must be from 0 to {Application.MaxQuota:N0} calls.");
        await ChangeApplicationAsync(viewer, applicationId, AuditActions.ApplicationQuotaChanged, application =>
        {
            var before = $"quota {Quota(application.MonthlyQuota)}, overrun allowance {application.QuotaOverrunAllowance:N0}";
            application.MonthlyQuota = monthlyQuota;
            application.QuotaOverrunAllowance = overrunAllowance;
            return $"{before} → quota {Quota(monthlyQuota)}, overrun allowance {overrunAllowance:N0}";
        });
    }

    /// <param name="applicationOnly">Calls per minute per client IP; null returns to the seed's table.</param>
    /// <param name="perUser">Calls per minute per session; null returns to the seed's table.</param>
    public async Task SetRateLimitsAsync(Viewer viewer, Guid applicationId, int? applicationOnly, int? perUser)
    {
        foreach (var limit in new[] { applicationOnly, perUser })
            if (limit is < Application.MinRateLimit or > Application.MaxRateLimit)
                throw new ValidationException($"A rate limit must be from {Application.MinRateLimit} to {Application.MaxRateLimit:N0} calls per minute.");
        await ChangeApplicationAsync(viewer, applicationId, AuditActions.ApplicationRateLimitsChanged, application =>
        {
            var before = $"application-only {Limit(application.ApplicationRateLimit)}, per-user {Limit(application.PerUserRateLimit)}";
            application.ApplicationRateLimit = applicationOnly;
            application.PerUserRateLimit = perUser;
            return $"{before} → application-only {Limit(applicationOnly)}, per-user {Limit(perUser)}";
        });
    }

    /// <summary>
    /// Takes an application online or offline (<see cref="ApplicationStatus"/>); offline here is a suspension the owner
    /// cannot lift, and <paramref name="reason"/> (optional) is shown to the owner.
    /// </summary>
    public async Task SetOnlineAsync(Viewer viewer, Guid applicationId, bool isOnline, string? reason = null)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId) ?? throw new AccessDeniedException();
        var now = clock.GetUtcNow().UtcDateTime;
        var wasOnline = application.IsOnline;
        if (!ApplicationStatus.Set(db, viewer, application, isOnline, now, reason)) return;
        if (wasOnline && !application.IsOnline)
            await Notices.AddAsync(db, application.AccountId, NoticeKind.ApplicationOffline, MailKinds.ApplicationOffline,
                name => MailTemplates.ApplicationOffline(name, application.Name, application.SuspensionReason, now), now);
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
    }

    public const string ReasonRequired = "Give the reason: the account's Owners are told it.";

    /// <summary>
    /// Locks (every call answers 225 ACCOUNT IS LOCKED) or unlocks an account, for a reason the account's members see in the
    /// panel while it is locked and its Owners are mailed (always: they cannot turn this notice off). Audited with the reason.
    /// </summary>
    public async Task SetAccountLockedAsync(Viewer viewer, Guid accountId, bool locked, string reason)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0) throw new ValidationException(ReasonRequired);
        if (reason.Length > Account.LockReasonMaxLength) throw new ValidationException($"The reason is at most {Account.LockReasonMaxLength} characters.");
        await using var db = await databases.CreateDbContextAsync();
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId) ?? throw new AccessDeniedException();
        if (account.IsLocked == locked) return;
        var now = clock.GetUtcNow().UtcDateTime;
        account.IsLocked = locked;
        account.LockedAt = locked ? now : null;
        account.LockReason = locked ? reason : null;
        AuditLog.Record(db, viewer, now, locked ? AuditActions.AccountLocked : AuditActions.AccountUnlocked, account.Id, null,
            (locked ? $"Locked account \"{account.Name}\"" : $"Unlocked account \"{account.Name}\"") + $": {reason}");
        await Notices.AddAsync(db, account.Id, NoticeKind.None, locked ? MailKinds.AccountLocked : MailKinds.AccountUnlocked,
            name => MailTemplates.AccountLock(name, account.Name, locked, reason, now), now);
        await changes.SaveAsync(db, ChangeTopic.Account, account.Id);
    }

    private async Task ChangeApplicationAsync(Viewer viewer, Guid applicationId, string action, Func<Application, string> change)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId) ?? throw new AccessDeniedException();
        var description = change(application);
        if (!db.ChangeTracker.HasChanges()) return;
        AuditLog.Record(db, viewer, clock.GetUtcNow().UtcDateTime, action, application.AccountId, application.Id, description);
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
    }

    private static string Quota(long? quota) => quota is { } q ? $"{q:N0}" : "default";
    private static string Limit(int? limit) => limit is { } l ? $"{l:N0}/min" : "table default";
}
