using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Api;
using ControlPanel.Web.Background;
using ControlPanel.Web.Components.Account;
using ControlPanel.Web.Components.Shared;
using ControlPanel.Web.Email;
using ControlPanel.Web.Monitoring;
using ControlPanel.Web.Usage;
using ControlPanel.Web.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPanel.Web;

/// <summary>The host's set-up, one method per area, called from Program.cs.</summary>
public static class Hosting
{
    /// <summary>Every area of the app: the host, the component tests and the bench build this same graph.</summary>
    public static void AddControlPanel(this WebApplicationBuilder builder)
    {
        builder.AddControlPanelDatabase();
        builder.AddControlPanelEmail();
        builder.AddControlPanelIdentity();
        builder.AddControlPanelApplications();
        builder.AddControlPanelKeyValidation();
        builder.AddControlPanelUi();
        builder.AddControlPanelWebhooks();
        builder.AddControlPanelUsage();
        builder.AddControlPanelManagementApi();
        builder.AddControlPanelWebSecurity();
        builder.AddControlPanelMonitoring();
    }

    public static void AddControlPanelDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddDbContextFactory<ControlPanelDbContext>((services, options) =>
            DatabaseSetup.Configure(options, services.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddHostedService<ChangeFollower>();
        builder.Services.AddHealthChecks().AddDbContextCheck<ControlPanelDbContext>();

        // Cookies, Identity tokens and webhook secrets stay readable across restarts and instances: the key ring lives in
        // the database, encrypted with the DataProtection:CertificatePath certificate when one is configured.
        builder.Services.AddDatabaseKeyRing(builder.Configuration, new DirectoryInfo(LegacyKeyFolder(builder.Configuration)));
    }

    /// <summary>Applications, their keys and the audit log; the in-memory key index the request check reads.</summary>
    public static void AddControlPanelApplications(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KeyIndex>();
        builder.Services.AddScoped<ApplicationService>();
        builder.Services.AddScoped<ApplicationViews>();
        builder.Services.AddScoped<KeyService>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Webhook and audit history past its retention, deleted by ExpiredStateSweeper.
        builder.Services.AddSingleton<HistoryRetention>();
    }

    /// <summary>
    /// The key-validation API: the request check and the in-memory state it reads (applications,
    /// sessions, rate limits, quotas, usage), the services that change that state, and the OpenAPI document.
    /// </summary>
    public static void AddControlPanelKeyValidation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApplicationDirectory>();
        builder.Services.AddSingleton<SessionStore>();
        // One instance (SQLite) counts in memory; instances sharing PostgreSQL lease blocks of every limit from it.
        builder.Services.AddSingleton<CounterStore>(services =>
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.PostgreSql
                ? new DatabaseCounterStore(services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>())
                : new ProcessCounterStore());
        builder.Services.AddSingleton<LeasedCounters>();
        builder.Services.AddSingleton<RateLimiter>();
        builder.Services.AddSingleton<QuotaLedger>();
        builder.Services.AddSingleton<UsageMeter>();
        builder.Services.AddSingleton<RequestCheck>();
        builder.Services.AddSingleton<CheckRequestReader>();
        builder.Services.AddSingleton<SessionService>();
        builder.Services.AddHostedService<InMemoryStateFlusher>();
        builder.Services.AddHostedService<ExpiredStateSweeper>();
        builder.Services.AddScoped<AllowlistService>();
        builder.Services.AddScoped<AdminControls>();
        builder.Services.AddScoped<QuotaService>();
        // The usage API's cookie sign-in, decided by the authorization middleware and refused in the error body.
        builder.Services.AddControlPanelApiAuthorization();
        builder.Services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "ControlPanel key-validation API";
                document.Info.Description = "Checks SYNAPPS API keys for gateways and SDKs. Credentials: APPLICATIONKEY and CONSUMERKEY headers, HTTP Basic (user = application key, password = consumer key) or a session's Bearer token. The management API under /api/v1/manage takes an access token instead (Authorization: Bearer cpat_…). Errors are {\"Error\", \"Description\", \"extraInfo\"}.";
                return Task.CompletedTask;
            });
            ManagementExamples.AddTo(options);
        });
    }

    public static void AddControlPanelUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            options.SnackbarConfiguration.PreventDuplicates = false;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
        });
        builder.Services.AddScoped<ChangeRunner>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<CurrentViewer>();
        builder.Services.AddScoped<Dashboard>();
    }

    /// <summary>Creates or upgrades the schema, then makes sure a first Admin can exist.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        string? setupToken = null;
        // Instances starting together take turns: one upgrades the schema, makes the key ring and the first Admin.
        await DatabaseSetup.RunStartupExclusiveAsync(services.GetRequiredService<IOptions<DatabaseOptions>>().Value, async () =>
        {
            await using (var db = await services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync())
                await DatabaseSetup.MigrateAsync(db);
            services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ControlPanel.Start").Protect([1]);
            setupToken = await services.GetRequiredService<AdminBootstrap>().EnsureAdminAsync(
                services.GetRequiredService<UserManager<ControlPanelUser>>(), services.GetRequiredService<RoleManager<IdentityRole>>());
        });
        // The in-memory indexes subscribe to the change feed when first made; make them, then fill them.
        services.GetRequiredService<KeyIndex>();
        services.GetRequiredService<ApplicationDirectory>();
        services.GetRequiredService<SessionStore>();
        await services.GetRequiredService<ChangeFeed>().StartAsync();
        // Sessions and this month's quota counts survive restarts: they are read once here, then kept in memory.
        await services.GetRequiredService<SessionStore>().LoadAsync();
        await services.GetRequiredService<QuotaLedger>().LoadAsync();

        if (setupToken is not null)
        {
            // Written to the console only, never to the log pipeline: it is a one-time secret.
            Console.WriteLine();
            Console.WriteLine("No Admin exists yet. Open /setup and enter this one-time setup token to create one:");
            Console.WriteLine($"    SETUP TOKEN: {setupToken}");
            Console.WriteLine();
        }
    }

    /// <summary>Where versions before the shared key ring kept Data Protection keys: beside the SQLite file (or ./data).</summary>
    private static string LegacyKeyFolder(IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var folder = "data";
        if (options.Provider == DatabaseProvider.Sqlite)
            folder = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource)) ?? folder;
        return Path.Combine(Path.GetFullPath(folder), "keys");
    }
}
