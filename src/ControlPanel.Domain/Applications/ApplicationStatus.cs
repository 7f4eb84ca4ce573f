using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Domain.Applications;

/// <summary>
/// Taking an application online or offline, the one way every caller (the owner's edit form, an
/// Admin's control) does it, so the audit entry and the webhook event are the same whoever acts.
/// Callers check who may act, then save through <see cref="ChangeFeed.SaveAsync"/>.
/// </summary>
internal static class ApplicationStatus
{
    /// <summary>Adds the status change, its audit entry and, when going offline, its webhook event to the unit of work; false when nothing changes.</summary>
    public static bool Set(ControlPanelDbContext db, Viewer viewer, Application application, bool isOnline, DateTime now)
    {
        if (application.IsOnline == isOnline) return false;
        AuditLog.Record(db, viewer, now, AuditActions.ApplicationStatusChanged, application.AccountId, application.Id,
            $"Status: {Describe(application.IsOnline)} → {Describe(isOnline)}");
        application.IsOnline = isOnline;
        if (!isOnline)
            WebhookOutbox.Enqueue(db, application.AccountId, application.Id, WebhookEvents.ApplicationOffline,
                new { ApplicationId = application.Id, ApplicationName = application.Name, ChangedBy = viewer.Name, ChangedAt = now }, now);
        return true;
    }

    public static string Describe(bool isOnline) => isOnline ? "online" : "offline";
}
