using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Idempotency;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using ControlPanel.Domain.Webhooks;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Data;

/// <summary>
/// The one database of the control panel. The schema is created and upgraded by the migrations in
/// Data/Migrations, added with `dotnet ef migrations add` against the model snapshot there (docs/development.md,
/// Changing the model); the test MigrationsTests keeps them and the snapshot equal to this model.
/// </summary>
public class ControlPanelDbContext(DbContextOptions<ControlPanelDbContext> options)
    : IdentityDbContext<ControlPanelUser, IdentityRole, string>(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountMember> AccountMembers => Set<AccountMember>();
    public DbSet<MemberInvitation> MemberInvitations => Set<MemberInvitation>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<ApplicationView> ApplicationViews => Set<ApplicationView>();
    public DbSet<KeyPair> KeyPairs => Set<KeyPair>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<SessionViewChange> SessionViewChanges => Set<SessionViewChange>();
    public DbSet<SessionActivityMinute> SessionActivity => Set<SessionActivityMinute>();
    public DbSet<UsageMinute> UsageMinutes => Set<UsageMinute>();
    public DbSet<UsageDay> UsageDays => Set<UsageDay>();
    public DbSet<UsageApplicationDay> UsageApplicationDays => Set<UsageApplicationDay>();
    public DbSet<UsageResourceDay> UsageResourceDays => Set<UsageResourceDay>();
    public DbSet<QuotaNotification> QuotaNotifications => Set<QuotaNotification>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<WebhookEventType> WebhookEventTypes => Set<WebhookEventType>();
    public DbSet<WebhookReplay> WebhookReplays => Set<WebhookReplay>();
    public DbSet<Change> Changes => Set<Change>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<SharedCounter> SharedCounters => Set<SharedCounter>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<SharedSecret> SharedSecrets => Set<SharedSecret>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();
    public DbSet<OutboxMail> OutboxMails => Set<OutboxMail>();
    public DbSet<NoticeRecipients> NoticeRecipients => Set<NoticeRecipients>();
    public DbSet<KnownSignInAddress> KnownSignInAddresses => Set<KnownSignInAddress>();
    public DbSet<UserSignIn> UserSignIns => Set<UserSignIn>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Each entity's mapping lives beside it (an IEntityTypeConfiguration in its domain folder), applied after
        // Identity's own so ControlPanelUserConfiguration adds to AspNetUsers.
        builder.ApplyConfigurationsFromAssembly(typeof(ControlPanelDbContext).Assembly);
    }
}
