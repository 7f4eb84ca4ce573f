using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using ControlPanel.Domain.Webhooks;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Data;

/// <summary>
/// The one database of the control panel. The schema is created and upgraded by the hand-written
/// migrations in Data/Migrations (the EF design-time package cannot be restored here); the test
/// MigrationsTests keeps them equal to this model.
/// </summary>
public class ControlPanelDbContext(DbContextOptions<ControlPanelDbContext> options)
    : IdentityDbContext<ControlPanelUser, IdentityRole, string>(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<ApplicationView> ApplicationViews => Set<ApplicationView>();
    public DbSet<KeyPair> KeyPairs => Set<KeyPair>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<UsageMinute> UsageMinutes => Set<UsageMinute>();
    public DbSet<UsageDay> UsageDays => Set<UsageDay>();
    public DbSet<UsageApplicationDay> UsageApplicationDays => Set<UsageApplicationDay>();
    public DbSet<QuotaNotification> QuotaNotifications => Set<QuotaNotification>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<Change> Changes => Set<Change>();
    public DbSet<SharedCounter> SharedCounters => Set<SharedCounter>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<SharedSecret> SharedSecrets => Set<SharedSecret>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<IdempotentRotation> IdempotentRotations => Set<IdempotentRotation>();
    public DbSet<OutboxMail> OutboxMails => Set<OutboxMail>();
    public DbSet<NoticeRecipients> NoticeRecipients => Set<NoticeRecipients>();
    public DbSet<KnownSignInAddress> KnownSignInAddresses => Set<KnownSignInAddress>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Account>(account =>
        {
            account.ToTable("Accounts");
            account.Property(a => a.Name).HasMaxLength(Account.NameMaxLength);
            account.HasIndex(a => a.Name);
        });

        builder.Entity<ControlPanelUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(ControlPanelUser.DisplayNameMaxLength);
            user.HasOne(u => u.Account).WithMany().HasForeignKey(u => u.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Application>(application =>
        {
            application.ToTable("Applications");
            application.Property(a => a.Name).HasMaxLength(Application.NameMaxLength);
            application.Property(a => a.Environment).HasConversion<string>().HasMaxLength(20);
            application.Property(a => a.DefaultView).HasMaxLength(Application.ViewMaxLength);
            application.Property(a => a.CreatedBy).HasMaxLength(256);
            application.Property(a => a.SuspensionReason).HasMaxLength(Application.SuspensionReasonMaxLength);
            application.HasOne(a => a.Account).WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
            application.HasIndex(a => new { a.AccountId, a.Name });
        });

        builder.Entity<ApplicationView>(view =>
        {
            view.ToTable("ApplicationViews");
            view.HasKey(v => new { v.ApplicationId, v.Name });
            view.Property(v => v.Name).HasMaxLength(Application.ViewMaxLength);
            view.Property(v => v.Description).HasMaxLength(ApplicationView.DescriptionMaxLength);
            view.Property(v => v.CreatedBy).HasMaxLength(256);
            view.HasOne<Application>().WithMany().HasForeignKey(v => v.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Session>(session =>
        {
            session.ToTable("Sessions");
            session.Property(s => s.TokenHash).HasMaxLength(64);
            session.Property(s => s.View).HasMaxLength(Application.ViewMaxLength);
            session.HasOne<Application>().WithMany().HasForeignKey(s => s.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            session.HasIndex(s => s.TokenHash).IsUnique();
            session.HasIndex(s => s.ExpiresAt);
            session.HasIndex(s => new { s.KeyPairId, s.ExpiresAt });
        });

        builder.Entity<UsageMinute>(usage =>
        {
            usage.ToTable("UsageMinutes");
            usage.HasKey(u => new { u.ApplicationId, u.Minute, u.KeyPairId, u.Environment, u.Outcome, u.Counted });
            usage.Property(u => u.Environment).HasMaxLength(20);
            usage.HasIndex(u => u.Minute);
        });

        builder.Entity<UsageDay>(usage =>
        {
            usage.ToTable("UsageDays");
            usage.HasKey(u => new { u.ApplicationId, u.Day, u.Environment, u.Outcome, u.Counted });
            usage.Property(u => u.Environment).HasMaxLength(20);
            // Covers the cross-application reports (admin overview, staff history) and retention: read from the index alone.
            // Named, as the generated name passes PostgreSQL's 63-character limit.
            usage.HasIndex(u => new { u.Day, u.ApplicationId, u.Environment, u.Outcome, u.Counted, u.Calls }).HasDatabaseName("IX_UsageDays_Day_Covering");
        });

        builder.Entity<UsageApplicationDay>(usage =>
        {
            usage.ToTable("UsageApplicationDays");
            usage.HasKey(u => new { u.ApplicationId, u.Day, u.Environment });
            usage.Property(u => u.Environment).HasMaxLength(20);
            // The history's range filter; a page is sorted from the range's rows alone, before any join.
            usage.HasIndex(u => u.Day);
        });

        builder.Entity<QuotaNotification>(notification =>
        {
            notification.ToTable("QuotaNotifications");
            notification.Property(n => n.Kind).HasConversion<string>().HasMaxLength(20);
            notification.HasIndex(n => new { n.ApplicationId, n.Month, n.Kind, n.Percent }).IsUnique();
            notification.HasIndex(n => new { n.AccountId, n.At });
        });

        builder.Entity<KeyPair>(pair =>
        {
            pair.ToTable("KeyPairs");
            pair.Property(p => p.ApplicationKeyHash).HasMaxLength(64);
            pair.Property(p => p.ConsumerKeyHash).HasMaxLength(64);
            pair.Property(p => p.ApplicationKeyLast4).HasMaxLength(4);
            pair.Property(p => p.ConsumerKeyLast4).HasMaxLength(4);
            pair.Property(p => p.CreatedBy).HasMaxLength(256);
            pair.Property(p => p.RevokedBy).HasMaxLength(256);
            pair.HasOne(p => p.Application).WithMany().HasForeignKey(p => p.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            pair.HasIndex(p => p.ApplicationKeyHash).IsUnique();
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("AuditEntries");
            entry.Property(e => e.ActorUserId).HasMaxLength(450);
            entry.Property(e => e.ActorName).HasMaxLength(256);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.ClientIp).HasMaxLength(64);
            entry.HasIndex(e => new { e.AccountId, e.At });
            entry.HasIndex(e => new { e.ApplicationId, e.At });
        });

        WebhookModel.Configure(builder);
        MailOutbox.Configure(builder);
        SignInAddresses.Configure(builder);

        builder.Entity<Change>(change =>
        {
            change.ToTable("Changes");
            change.Property(c => c.Topic).HasConversion<string>().HasMaxLength(20);
            change.HasIndex(c => c.At);
        });

        builder.Entity<SharedCounter>(counter =>
        {
            counter.ToTable("SharedCounters");
            counter.HasKey(c => new { c.Key, c.Period });
            counter.Property(c => c.Key).HasMaxLength(SharedCounter.KeyMaxLength);
            counter.HasIndex(c => c.ExpiresAt);
        });

        builder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("DataProtectionKeys");
            key.Property(k => k.FriendlyName).HasMaxLength(256);
        });

        builder.Entity<SharedSecret>(secret =>
        {
            secret.ToTable("SharedSecrets");
            secret.HasKey(s => s.Name);
            secret.Property(s => s.Name).HasMaxLength(SharedSecret.NameMaxLength);
        });

        builder.Entity<AccessToken>(token =>
        {
            token.ToTable("AccessTokens");
            token.Property(t => t.UserId).HasMaxLength(450);
            token.Property(t => t.Name).HasMaxLength(AccessToken.NameMaxLength);
            token.Property(t => t.Scope).HasConversion<string>().HasMaxLength(20);
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.Property(t => t.Last4).HasMaxLength(4);
            // A removed user's tokens go with them.
            token.HasOne<ControlPanelUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.UserId);
        });

        builder.Entity<IdempotentRotation>(rotation =>
        {
            rotation.ToTable("IdempotentRotations");
            rotation.HasKey(r => new { r.AccessTokenId, r.KeyHash });
            rotation.Property(r => r.KeyHash).HasMaxLength(64);
            rotation.Property(r => r.Grace).HasConversion<string>().HasMaxLength(20);
            rotation.HasOne<AccessToken>().WithMany().HasForeignKey(r => r.AccessTokenId).OnDelete(DeleteBehavior.Cascade);
            rotation.HasIndex(r => r.ExpiresAt);
        });
    }
}
