using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Configuration;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Idempotency;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using ControlPanel.Domain.Webhooks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain;

/// <summary>The domain's wiring: the web host, the tests and the bench seeder all build from this one list.</summary>
public static class ControlPanelDomain
{
    /// <summary>
    /// Registers the database, the change feed and the in-memory state the request check reads, and every service the
    /// UI and the APIs call. Options are bound from their configuration sections (the host's <c>IConfiguration</c>) and
    /// validated at start-up. The clock is <see cref="TimeProvider.System"/> unless one is registered first. Identity's
    /// stores and managers are the domain's (<see cref="AddAccounts"/>); its cookies and sign-in manager, the Data
    /// Protection key ring and the background workers are the host's.
    /// </summary>
    public static IServiceCollection AddControlPanelDomain(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDatabase();
        services.AddApplicationsAndKeys();
        services.AddRequestCheck();
        services.AddWebhooks();
        services.AddUsage();
        services.AddEmail();
        services.AddAccounts();
        return services;
    }

    private static void AddDatabase(this IServiceCollection services)
    {
        services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
        services.AddDbContextFactory<ControlPanelDbContext>((provider, options) =>
            DatabaseSetup.Configure(options, provider.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddSingleton<ChangeFeed>();
    }

    /// <summary>Applications, their keys, views and allowlists, admin controls, access tokens and the audit log.</summary>
    private static void AddApplicationsAndKeys(this IServiceCollection services)
    {
        services.AddValidatedOptions<AuditOptions>(AuditOptions.Section);
        services.AddValidatedOptions<AccessTokenOptions>(AccessTokenOptions.Section);
        services.AddChangeSubscriber<KeyIndex>();
        services.AddScoped<ApplicationService>();
        services.AddScoped<ApplicationViews>();
        services.AddScoped<KeyService>();
        services.AddScoped<AllowlistService>();
        services.AddScoped<AdminControls>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AccessTokenService>();
        services.AddScoped<AccessTokenAdmission>();
        services.AddScoped<IdempotentRequests>();
        // Webhook and audit history past its retention, deleted by the host's sweeper.
        services.AddSingleton<HistoryRetention>();
    }

    /// <summary>The request check and the in-memory state it reads: applications, keys, sessions, limits, quotas, usage.</summary>
    private static void AddRequestCheck(this IServiceCollection services)
    {
        services.AddValidatedOptions<ApiOptions>(ApiOptions.Section);
        services.AddChangeSubscriber<ApplicationDirectory>();
        services.AddChangeSubscriber<SessionStore>();
        services.AddChangeSubscriber<ResourceCatalogue>();
        services.AddScoped<ResourceService>();
        // One instance (SQLite) counts in memory; instances sharing PostgreSQL lease blocks of every limit from it.
        services.AddSingleton<CounterStore>(provider =>
            provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.PostgreSql
                ? new DatabaseCounterStore(provider.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>())
                : new ProcessCounterStore());
        services.AddSingleton<LeasedCounters>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<RefusedCalls>();
        services.AddSingleton<QuotaLedger>();
        services.AddSingleton<UsageMeter>();
        services.AddSingleton<RequestCheck>();
        services.AddSingleton<FirstCall>();
        services.AddSingleton<SessionService>();
        services.AddValidatedOptions<SessionOptions>(SessionOptions.Section);
        services.AddSingleton<SessionActivityMeter>();
        services.AddScoped<SessionHistory>();
        // Applied hourly by the host's sweeper.
        services.AddSingleton<SessionRetention>();
        services.AddScoped<QuotaService>();
    }

    /// <summary>Endpoints, their secrets and URL rules, the outbox's dispatcher, the delivery log and the platform's event intake.</summary>
    private static void AddWebhooks(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section);
        services.AddHttpClient(WebhookHttp.ClientName, (provider, client) =>
                // A backstop only: each attempt has its own TimeProvider-driven timeout.
                client.Timeout = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout + TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(provider => WebhookHttp.CreateHandler(provider.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookUrlRules>();
        services.AddSingleton<EventCatalogue>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddScoped<WebhookEndpointService>();
        services.AddScoped<WebhookDeliveryLog>();
        services.AddScoped<WebhookReplayService>();
        services.AddScoped<PlatformEventIntake>();
    }

    /// <summary>Usage reports, the dashboards built on them, and usage retention.</summary>
    private static void AddUsage(this IServiceCollection services)
    {
        services.AddValidatedOptions<UsageOptions>(UsageOptions.Section);
        services.AddScoped<UsageReports>();
        services.AddScoped<Dashboard>();
        services.AddChangeSubscriber<DashboardChanges>();
        // Applied hourly by the host's sweeper.
        services.AddSingleton<UsageRetention>();
    }

    /// <summary>The mail outbox's transport (SMTP, or .eml files when no SMTP host is configured) and its dispatcher.</summary>
    private static void AddEmail(this IServiceCollection services)
    {
        services.AddValidatedOptions<EmailOptions>(EmailOptions.Section);
        services.AddSingleton(provider => MailTransport.For(provider.GetRequiredService<IOptions<EmailOptions>>().Value));
        services.AddSingleton<MailDispatcher>();
    }

    /// <summary>
    /// Identity's stores and managers with the house's rules (passwords, lockout, two-factor with single-use authenticator
    /// codes, reset and invitation links), sign-in addresses, registration, invitations, recovery, confirmation, notice
    /// settings and the account and staff operations. The host adds only the cookies and the sign-in manager on top.
    /// </summary>
    private static void AddAccounts(this IServiceCollection services)
    {
        services.AddValidatedOptions<AccountSecurityOptions>(AccountSecurityOptions.Section);
        // Identity's rules follow AccountSecurity, so the rule stated on the forms, the check at the field and Identity's own check agree.
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountSecurityOptions>>((options, security) =>
        {
            options.Password.RequiredLength = security.Value.MinimumPasswordLength;
            options.Lockout.MaxFailedAccessAttempts = security.Value.MaxFailedAttempts;
            options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.Value.LockoutMinutes);
        });
        // Only staff invitations use Identity's data-protection tokens here, so their lifespan is the invitation link's.
        services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<AccountSecurityOptions>>((options, security) =>
            options.TokenLifespan = TimeSpan.FromHours(security.Value.InvitationLinkHours));
        // Reset links have their own, shorter, lifespan and a per-address limit.
        services.AddOptions<PasswordResetOptions>().Configure<IOptions<AccountSecurityOptions>>((options, security) =>
        {
            options.TokenLifespan = TimeSpan.FromMinutes(security.Value.PasswordResetLinkMinutes);
            options.MailsPerAddressPerHour = security.Value.PasswordResetMailsPerAddressPerHour;
        });
        services.AddOptions<EmailConfirmationOptions>().Configure<IOptions<AccountSecurityOptions>, IOptions<EmailOptions>>((options, security, email) =>
            options.Required = security.Value.RequireConfirmedEmail ?? email.Value.IsSmtpConfigured);

        services.AddIdentityCore<ControlPanelUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Tokens.AuthenticatorTokenProvider = SingleUseAuthenticatorCodes.ProviderName;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ControlPanelDbContext>()
            .AddUserManager<ControlPanelUserManager>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticatorCodes>(SingleUseAuthenticatorCodes.ProviderName)
            .AddTokenProvider<PasswordResetTokenProvider>(PasswordResetOptions.ProviderName);

        services.AddValidatedOptions<BootstrapOptions>(BootstrapOptions.Section);
        services.AddSingleton<AdminBootstrap>();
        services.AddScoped<FirstAdminSetup>();
        services.AddScoped<SignInRules>();
        services.AddSingleton<PasswordRules>();
        services.AddScoped<Registration>();
        services.AddScoped<AccountMembers>();
        services.AddValidatedOptions<AccountDeletionOptions>(AccountDeletionOptions.Section);
        services.AddSingleton<AccountDeletion>();
        services.AddScoped<MemberInvitations>();
        services.AddScoped<AccountOverview>();
        services.AddScoped<StaffInvitations>();
        services.AddScoped<PasswordRecovery>();
        services.AddScoped<EmailConfirmation>();
        services.AddScoped<Passkeys>();
        services.AddScoped<NoticeSettings>();
        services.AddScoped<StaffAdministration>();
        services.AddScoped<TwoFactorSettings>();
        services.AddScoped<SignIns>();
        services.AddScoped<EmailChange>();
        services.AddScoped<OwnUserDeletion>();
        services.AddChangeSubscriber<SignInEndings>();
    }

    /// <summary>One instance serves both as itself (for the services that read it) and as a subscriber the change feed is given.</summary>
    private static void AddChangeSubscriber<T>(this IServiceCollection services) where T : class, IChangeSubscriber
    {
        services.AddSingleton<T>();
        services.AddSingleton<IChangeSubscriber>(provider => provider.GetRequiredService<T>());
    }
}
