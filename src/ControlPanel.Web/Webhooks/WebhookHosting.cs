using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Background;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Webhooks;

public static class WebhookHosting
{
    /// <summary>Endpoints, the delivery log, the platform's event intake, and the worker that delivers the outbox.</summary>
    public static void AddControlPanelWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(WebhookHttp.ClientName, (services, client) =>
                // A backstop only: each attempt has its own TimeProvider-driven timeout.
                client.Timeout = services.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout + TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(services => WebhookHttp.CreateHandler(services.GetRequiredService<IOptions<WebhookOptions>>().Value));
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddSingleton<WebhookUrlRules>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService<WebhookDeliveryWorker>();
        builder.Services.AddScoped<WebhookEndpointService>();
        builder.Services.AddScoped<WebhookDeliveryLog>();
        builder.Services.AddScoped<PlatformEventIntake>();
    }
}
