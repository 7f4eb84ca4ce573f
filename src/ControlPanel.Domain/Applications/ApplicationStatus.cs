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
    /// <summary>
    /// Adds the status change, its audit entry and, when going offline, its webhook event to the unit of work; false when
    /// nothing changes. Offline by an Admin is a suspension the owner cannot lift (<see cref="Application.SetOnline"/>);
    /// <paramref name="reason"/> is the Admin's word to the owner.
    /// </summary>
    public static bool Set(ControlPanelDbContext db, Viewer viewer, Application application, bool isOnline, DateTime now, string? reason = null)
    {
        // Saving a form that leaves the status as it is changes nothing, and never lifts or makes a suspension.
        if (application.IsOnline == isOnline && reason is null) return false;
        var wasOnline = application.IsOnline;
        var before = application.StatusText;
        var beforeReason = application.SuspensionReason;
        application.SetOnline(isOnline, byAdmin: viewer.IsAdmin, reason);
        if (application.StatusText == before && application.SuspensionReason == beforeReason) return false;
        AuditLog.Record(db, viewer, now, AuditActions.ApplicationStatusChanged, application.AccountId, application.Id,
            $"Status: {before} → {application.StatusText}" + (application.SuspensionReason is { } why ? $" ({why})" : ""));
        if (wasOnline && !application.IsOnline)
            WebhookOutbox.Enqueue(db, application.AccountId, application.Id, WebhookEvents.ApplicationOffline,
                new { ApplicationId = application.Id, ApplicationName = application.Name, ChangedBy = viewer.Name, ChangedAt = now }, now);
        return true;
    }
}
