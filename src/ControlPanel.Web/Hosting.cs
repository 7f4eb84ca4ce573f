using ControlPanel.Domain;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Web.Api;
using ControlPanel.Web.Background;
using ControlPanel.Web.Components.Account;
using ControlPanel.Web.Components.Shared;
using ControlPanel.Web.Email;
using ControlPanel.Web.Gateway;
using ControlPanel.Web.Monitoring;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPanel.Web;

/// <summary>The host's set-up, one method per area, called from Program.cs.</summary>
public static class Hosting
{
    /// <summary>Every area of the app: the host and the component tests build this same graph (the domain tests and the bench seeder, its domain part).</summary>
    public static void AddControlPanel(this WebApplicationBuilder builder)
    {
        // The domain registers its own services and options; the host adds what serves them over HTTP and in the background.
        builder.Services.AddControlPanelDomain();
        builder.AddControlPanelDatabase();
        builder.AddControlPanelEmail();
        builder.AddControlPanelIdentity();
        builder.AddControlPanelKeyValidation();
        builder.AddControlPanelUi();
        builder.AddControlPanelBackgroundWork();
        builder.AddControlPanelWebSecurity();
        builder.AddControlPanelMonitoring();
        builder.AddControlPanelGateway();
    }

    /// <summary>The database's health check and the key ring stored in the database.</summary>
    public static void AddControlPanelDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddDbContextCheck<ControlPanelDbContext>();

        // Cookies, Identity tokens and webhook secrets stay readable across restarts and instances: the key ring lives in
        // the database, encrypted with the DataProtection:CertificatePath certificate when one is configured.
        builder.Services.AddDatabaseKeyRing(builder.Configuration, new DirectoryInfo(LegacyKeyFolder(builder.Configuration)));
    }

    /// <summary>Every background service (Background/): following other instances, flushing and sweeping, delivering webhooks and mail.</summary>
    public static void AddControlPanelBackgroundWork(this WebApplicationBuilder builder)
    {
        // First: the followers and workers below may rely on the state it loads.
        builder.Services.AddSingleton<StateLoader>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StateLoader>());
        builder.Services.AddHostedService<ChangeFollower>();
        builder.Services.AddHostedService<InMemoryStateFlusher>();
        builder.Services.AddHostedService<ExpiredStateSweeper>();
        builder.Services.AddHostedService<WebhookDeliveryWorker>();
        builder.Services.AddHostedService<MailDeliveryWorker>();
    }

    /// <summary>The key-validation API over the domain's request check: how requests are read, the usage API's authorization, the OpenAPI document.</summary>
    public static void AddControlPanelKeyValidation(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CheckRequestReader>();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new UtcDateTimeJsonConverter()));
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
        builder.Services.AddMudServices(options => SnackbarSettings.Apply(options.SnackbarConfiguration));
        builder.Services.AddScoped<ChangeRunner>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<CurrentViewer>();
    }

    /// <summary>
    /// Holds every request but the liveness and readiness probes until the in-memory state is loaded (<see cref="StateLoader"/>),
    /// so no call is answered from a half-filled directory; a load balancer asks <c>/health/ready</c> and sends none before.
    /// </summary>
    public static void UseWaitForState(this WebApplication app)
    {
        var loader = app.Services.GetRequiredService<StateLoader>();
        app.Use(async (context, next) =>
        {
            if (!loader.IsLoaded && !context.Request.Path.Equals("/health/live") && !context.Request.Path.Equals("/health/ready"))
                await loader.Loaded.WaitAsync(context.RequestAborted);
            await next(context);
        });
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers (at once, also while loading); <c>/health/ready</c>: the directory, sessions and
    /// quota counts are loaded, so calls may be sent (503 before); <c>/health</c>: ready, and the database answers.
    /// </summary>
    public static void MapHealthProbes(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapGet("/health/live", () => "ok").ExcludeFromDescription();
        app.MapGet("/health/ready", (StateLoader loader) => loader.IsLoaded ? Results.Text("ok") : Results.Text("loading", statusCode: StatusCodes.Status503ServiceUnavailable))
            .ExcludeFromDescription();
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
        // The in-memory state the request check reads is loaded once the host runs (StateLoader), so the instance is live at once.

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
        return Path.Combine(options.DataFolder(), "keys");
    }
}
