using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>The "Accounts" section of appsettings.json.</summary>
public sealed class AccountDeletionOptions
{
    public const string Section = "Accounts";

    /// <summary>Days a deleted account can still be restored by staff; then its personal data is erased.</summary>
    [Range(1, 3650, ErrorMessage = "Accounts:DeletionGraceDays must be from 1 to 3650.")]
    public int DeletionGraceDays { get; set; } = 30;
}

/// <summary>
/// Deleting a whole account, by its Owner: at once its keys are unknown on every instance and its members can no longer act
/// in it; for the grace period (<see cref="AccountDeletionOptions.DeletionGraceDays"/>) staff (an Admin) can restore it as it
/// was. After that <see cref="EraseDueAsync"/> (run hourly by the host) erases its personal data: the people who belong to no
/// other account, names, webhook URLs and secrets, notice recipients, the mails waiting for them; audit entries keep their
/// ids only. Usage counts stay, under ids.
/// </summary>
public sealed class AccountDeletion(
    IDbContextFactory<ControlPanelDbContext> databases, ChangeFeed changes, IOptions<AccountDeletionOptions> options, TimeProvider clock)
{
    /// <summary>What an erased account, its applications and the audit log's text are called after erasure.</summary>
    public const string ErasedAccountName = "(erased account)";
    public const string ErasedApplicationName = "(erased application)";
    public const string ErasedText = "(erased)";

    /// <summary>Who the audit log names for the erasure the host runs on its own.</summary>
    private static readonly Viewer Eraser = Viewer.System("Account erasure");

    public TimeSpan GracePeriod => TimeSpan.FromDays(options.Value.DeletionGraceDays);

    /// <summary>When a deletion made at <paramref name="requestedAt"/> is erased.</summary>
    public DateTime ErasesAt(DateTime requestedAt) => requestedAt + GracePeriod;

    /// <summary>
    /// Deletes the account the Owner acts in (nobody else may, not even an Admin: the customer decides). Returns when it will
    /// be erased. <paramref name="typedName"/> must be the account's name exactly, as the page asks for it.
    /// </summary>
    public async Task<DateTime> DeleteAsync(Viewer viewer, Guid accountId, string typedName)
    {
        if (viewer.ReadOnly || !viewer.IsOwner || viewer.AccountId != accountId) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId && a.DeletionRequestedAt == null)
            ?? throw new AccessDeniedException();
        if (!string.Equals(typedName, account.Name, StringComparison.Ordinal))
            throw new ValidationException(new ValidationResult($"Type the account's name, {account.Name}, exactly to delete it.", ["Name"]), null, typedName);

        var now = clock.GetUtcNow().UtcDateTime;
        account.DeletionRequestedAt = now;
        account.DeletionRequestedBy = viewer.Name;
        var erasesAt = ErasesAt(now);
        AuditLog.Record(db, viewer, now, AuditActions.AccountDeleted, accountId, null,
            $"Deleted the account \"{account.Name}\": its keys stopped working and its members lost access; staff can restore it until {erasesAt:yyyy-MM-dd HH:mm} UTC, then its personal data is erased");
        // An account change: every instance drops its applications from the directory and their keys from the index.
        await changes.SaveAsync(db, ChangeTopic.Account, accountId);
        return erasesAt;
    }

    /// <summary>Brings a deleted account back as it was, during its grace period (Admins only).</summary>
    public async Task RestoreAsync(Viewer viewer, Guid accountId)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId) ?? throw new AccessDeniedException();
        if (account.ErasedAt is not null) throw new ValidationException("This account's personal data was erased: it cannot be restored.");
        if (account.DeletionRequestedAt is not { } requestedAt) throw new ValidationException("This account is not deleted.");

        var now = clock.GetUtcNow().UtcDateTime;
        AuditLog.Record(db, viewer, now, AuditActions.AccountRestored, accountId, null,
            $"Restored the account \"{account.Name}\", deleted {requestedAt:yyyy-MM-dd HH:mm} UTC by {account.DeletionRequestedBy}");
        account.DeletionRequestedAt = null;
        account.DeletionRequestedBy = null;
        await changes.SaveAsync(db, ChangeTopic.Account, accountId);
    }

    /// <summary>Erases every account whose grace period has ended; returns how many. Each account is its own transaction.</summary>
    public async Task<int> EraseDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - GracePeriod;
        List<Guid> due;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            due = await db.Accounts.Where(a => a.DeletionRequestedAt != null && a.DeletionRequestedAt <= cutoff && a.ErasedAt == null)
                .Select(a => a.Id).ToListAsync(cancellationToken);
        var erased = 0;
        foreach (var accountId in due)
            if (await EraseAsync(accountId, cutoff, now, cancellationToken)) erased++;
        return erased;
    }

    private async Task<bool> EraseAsync(Guid accountId, DateTime cutoff, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Read again inside the transaction: restored meanwhile, or erased by another instance, it is left alone.
        var account = await db.Accounts.SingleOrDefaultAsync(
            a => a.Id == accountId && a.DeletionRequestedAt != null && a.DeletionRequestedAt <= cutoff && a.ErasedAt == null, cancellationToken);
        if (account is null) return false;

        // People: their places in this account go; those who belong to no other account go too (Identity's rows with them),
        // the others keep their sign-in and land in another of their accounts.
        var members = await db.AccountMembers.Where(m => m.AccountId == accountId).Select(m => m.UserId).ToListAsync(cancellationToken);
        var landedHere = await db.Users.Where(u => u.AccountId == accountId).Select(u => u.Id).ToListAsync(cancellationToken);
        var people = members.Union(landedHere).ToList();
        await db.AccountMembers.Where(m => m.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        var elsewhere = await db.AccountMembers.Where(m => people.Contains(m.UserId))
            .OrderBy(m => m.CreatedAt).Select(m => new { m.UserId, m.AccountId }).ToListAsync(cancellationToken);
        foreach (var stays in elsewhere.GroupBy(m => m.UserId).Select(g => g.First()))
            await db.Users.Where(u => u.Id == stays.UserId && u.AccountId == accountId)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.AccountId, stays.AccountId), cancellationToken);
        var erasedPeople = people.Except(elsewhere.Select(m => m.UserId)).ToList();

        var recipients = await db.NoticeRecipients.Where(r => r.AccountId == accountId).Select(r => r.Addresses).SingleOrDefaultAsync(cancellationToken);
        var recipientAddresses = (recipients ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await db.OutboxMails.Where(m => (m.UserId != null && erasedPeople.Contains(m.UserId)) || recipientAddresses.Contains(m.To))
            .ExecuteDeleteAsync(cancellationToken);
        await db.AuditEntries.Where(e => erasedPeople.Contains(e.ActorUserId))
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.ActorName, OwnUserDeletion.DeletedName), cancellationToken);
        await db.MemberInvitations.Where(i => i.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        await db.Users.Where(u => erasedPeople.Contains(u.Id)).ExecuteDeleteAsync(cancellationToken);
        await db.NoticeRecipients.Where(r => r.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);

        // Webhooks: the URLs, secrets and payloads (which carry names) go; the endpoints stay as deleted ids.
        var deliveries = db.WebhookDeliveries.Where(d => d.AccountId == accountId).Select(d => d.Id);
        await db.WebhookAttempts.Where(a => deliveries.Contains(a.DeliveryId)).ExecuteDeleteAsync(cancellationToken);
        await db.WebhookDeliveries.Where(d => d.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        await db.WebhookEvents.Where(e => e.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        await db.WebhookReplays.Where(r => r.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        await db.WebhookEndpoints.IgnoreQueryFilters().Where(e => e.AccountId == accountId).ExecuteUpdateAsync(set => set
            .SetProperty(e => e.Url, "")
            .SetProperty(e => e.Description, "")
            .SetProperty(e => e.ProtectedSecret, "")
            .SetProperty(e => e.ProtectedPreviousSecret, (string?)null)
            .SetProperty(e => e.ProtectedVerificationSecret, (string?)null)
            .SetProperty(e => e.CreatedBy, "")
            .SetProperty(e => e.IsEnabled, false)
            .SetProperty(e => e.DeletedAt, e => e.DeletedAt ?? now), cancellationToken);

        // Applications stay (usage counts refer to them) as deleted ids, with no names of theirs or of the people who made them.
        var applications = await db.Applications.IgnoreQueryFilters().Where(a => a.AccountId == accountId).Select(a => a.Id).ToListAsync(cancellationToken);
        await db.Applications.IgnoreQueryFilters().Where(a => a.AccountId == accountId).ExecuteUpdateAsync(set => set
            .SetProperty(a => a.Name, ErasedApplicationName)
            .SetProperty(a => a.CreatedBy, "")
            .SetProperty(a => a.DeletedBy, (string?)null)
            .SetProperty(a => a.SuspensionReason, (string?)null)
            .SetProperty(a => a.AllowedOrigins, "")
            .SetProperty(a => a.DeletedAt, a => a.DeletedAt ?? now), cancellationToken);
        await db.ApplicationViews.Where(v => applications.Contains(v.ApplicationId))
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.CreatedBy, "").SetProperty(v => v.Description, ""), cancellationToken);
        await db.KeyPairs.Where(p => applications.Contains(p.ApplicationId))
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.CreatedBy, "").SetProperty(p => p.RevokedBy, (string?)null), cancellationToken);

        // The audit log keeps what happened, when and by whom as ids: no names, no texts, no addresses.
        await db.AuditEntries.Where(e => e.AccountId == accountId).ExecuteUpdateAsync(set => set
            .SetProperty(e => e.ActorName, e => e.ActorUserId)
            .SetProperty(e => e.Changes, ErasedText)
            .SetProperty(e => e.ClientIp, (string?)null), cancellationToken);

        account.Name = ErasedAccountName;
        account.LockReason = null;
        account.DeletionRequestedBy = null;
        account.ErasedAt = now;
        AuditLog.Record(db, Eraser, now, AuditActions.AccountErased, accountId, null,
            $"Account {accountId}: personal data erased after the grace period; {erasedPeople.Count} users deleted");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
