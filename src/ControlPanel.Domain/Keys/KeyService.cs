using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Keys;

/// <summary>Issuing, rotating ("rolling") and revoking an application's key pairs.</summary>
public sealed class KeyService(
    IDbContextFactory<ControlPanelDbContext> databases, ChangeFeed changes, TimeProvider clock, IOptions<EmailConfirmationOptions>? confirmation = null)
{
    /// <summary>An owner who must confirm their address first may not be issued keys (AccountSecurity:RequireConfirmedEmail).</summary>
    public Task EnsureMayIssueKeysAsync(ControlPanelDbContext db, Viewer viewer) => EmailConfirmation.EnsureMayIssueKeysAsync(db, viewer, confirmation?.Value);

    public sealed record PairView(
        Guid Id, string ApplicationKeyLast4, string ConsumerKeyLast4, DateTime CreatedAt, string CreatedBy,
        DateTime? LastUsedAt, DateTime? ExpiresAt, DateTime? RevokedAt, string? RevokedBy, bool IsLive);

    /// <summary>Every pair of the application, live ones first, newest first.</summary>
    public async Task<IReadOnlyList<PairView>> ListAsync(Viewer viewer, Guid applicationId)
    {
        await using var db = await databases.CreateDbContextAsync();
        await db.Applications.AsNoTracking().FindForReadAsync(viewer, a => a.Id == applicationId);
        var now = clock.GetUtcNow().UtcDateTime;
        var pairs = await db.KeyPairs.AsNoTracking().Where(p => p.ApplicationId == applicationId).ToListAsync();
        // Support and the Viewer role never see key material, not even the last characters.
        string Shown(string last4) => viewer.SeesNoSecrets ? KeyRedaction.Hidden : last4;
        return pairs
            .Select(p => new PairView(p.Id, Shown(p.ApplicationKeyLast4), Shown(p.ConsumerKeyLast4), p.CreatedAt, p.CreatedBy, p.LastUsedAt, p.ExpiresAt, p.RevokedAt, p.RevokedBy, p.IsLive(now)))
            .OrderByDescending(p => p.IsLive).ThenByDescending(p => p.CreatedAt)
            .ToList();
    }

    /// <summary>
    /// Issues a new pair at once; the pairs live until now keep working for the grace period, then expire by themselves.
    /// </summary>
    public async Task<IssuedKeys> RotateAsync(Viewer viewer, Guid applicationId, RotationGrace grace)
    {
        if (!Enum.IsDefined(grace)) throw new System.ComponentModel.DataAnnotations.ValidationException("Choose a grace period.");
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.FindForChangeAsync(viewer, a => a.Id == applicationId);
        await EnsureMayIssueKeysAsync(db, viewer);
        var now = clock.GetUtcNow().UtcDateTime;
        var expiresAt = now + grace.Duration();

        var previous = (await db.KeyPairs.Where(p => p.ApplicationId == applicationId && p.RevokedAt == null).ToListAsync())
            .Where(p => p.IsLive(now)).ToList();
        foreach (var pair in previous)
            if (pair.ExpiresAt is null || pair.ExpiresAt > expiresAt) pair.ExpiresAt = expiresAt;

        var issued = Issue(db, application, viewer, now);
        var ended = previous.Count == 0 ? "no earlier pair was live"
            : string.Join(", ", previous.Select(p => $"…{p.ApplicationKeyLast4}")) + (grace == RotationGrace.Immediately ? " expired now" : $" expire {expiresAt:yyyy-MM-dd HH:mm} UTC ({grace.Label()} grace)");
        AuditLog.Record(db, viewer, now, AuditActions.KeysRotated, application.AccountId, application.Id,
            $"New key pair …{ApiKey.LastFour(issued.ApplicationKey)}; {ended}");
        WebhookOutbox.Enqueue(db, application.AccountId, application.Id, WebhookEvents.KeyRotated, new
        {
            ApplicationId = application.Id,
            ApplicationName = application.Name,
            KeyPairId = issued.KeyPairId,
            ApplicationKeyLast4 = ApiKey.LastFour(issued.ApplicationKey),
            PreviousPairsExpireAt = previous.Count == 0 ? (DateTime?)null : expiresAt,
            RotatedBy = viewer.Name,
            RotatedAt = now,
        }, now);
        await Notices.AddAsync(db, application.AccountId, NoticeKind.Keys, MailKinds.KeysChanged, name => MailTemplates.KeysRotated(
            name, application.Name, ApiKey.LastFour(issued.ApplicationKey), viewer.Name, now, previous.Count == 0 ? null : expiresAt), now);
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
        return issued;
    }

    /// <summary>Ends a pair at once.</summary>
    public async Task RevokeAsync(Viewer viewer, Guid applicationId, Guid keyPairId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.FindForChangeAsync(viewer, a => a.Id == applicationId);
        var pair = await db.KeyPairs.SingleOrDefaultAsync(p => p.Id == keyPairId && p.ApplicationId == applicationId)
            ?? throw new AccessDeniedException();
        var now = clock.GetUtcNow().UtcDateTime;
        if (!pair.IsLive(now)) throw new System.ComponentModel.DataAnnotations.ValidationException("This key pair has already ended.");

        pair.RevokedAt = now;
        pair.RevokedBy = viewer.Name;
        AuditLog.Record(db, viewer, now, AuditActions.KeysRevoked, application.AccountId, application.Id, $"Revoked key pair …{pair.ApplicationKeyLast4}");
        WebhookOutbox.Enqueue(db, application.AccountId, application.Id, WebhookEvents.KeyRevoked, new
        {
            ApplicationId = application.Id,
            ApplicationName = application.Name,
            KeyPairId = pair.Id,
            ApplicationKeyLast4 = pair.ApplicationKeyLast4,
            RevokedBy = viewer.Name,
            RevokedAt = now,
        }, now);
        await Notices.AddAsync(db, application.AccountId, NoticeKind.Keys, MailKinds.KeysChanged,
            name => MailTemplates.KeysRevoked(name, application.Name, pair.ApplicationKeyLast4, viewer.Name, now), now);
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
    }

    /// <summary>Adds a new pair to the unit of work and returns its keys in plaintext, the only time they exist.</summary>
    internal IssuedKeys Issue(ControlPanelDbContext db, Application application, Viewer actor, DateTime now)
    {
        var applicationKey = ApiKey.New();
        var consumerKey = ApiKey.New();
        var pair = new KeyPair
        {
            ApplicationId = application.Id,
            ApplicationKeyHash = ApiKey.HashHex(applicationKey),
            ConsumerKeyHash = ApiKey.HashHex(consumerKey),
            ApplicationKeyLast4 = ApiKey.LastFour(applicationKey),
            ConsumerKeyLast4 = ApiKey.LastFour(consumerKey),
            CreatedAt = now,
            CreatedBy = actor.Name,
        };
        db.KeyPairs.Add(pair);
        return new IssuedKeys(pair.Id, applicationKey, consumerKey);
    }
}
