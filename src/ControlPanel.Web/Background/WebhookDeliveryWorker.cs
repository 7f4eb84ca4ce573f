using ControlPanel.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Background;

/// <summary>Drives the webhook dispatcher on a timer; on shutdown hands attempts in flight back for the next start.</summary>
public sealed class WebhookDeliveryWorker(
    WebhookDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.AllowHttp || settings.AllowPrivateAddresses)
            logger.LogWarning("Webhooks may reach {What}: for development and tests only.",
                string.Join(" and ", new[] { settings.AllowHttp ? "http:// URLs" : null, settings.AllowPrivateAddresses ? "private addresses" : null }.OfType<string>()));

        await PeriodicWork.RunAsync(clock, settings.PollInterval, dispatcher.DispatchAsync,
            error => logger.LogWarning(error, "Webhook dispatch pass failed; trying again on the next tick."), stoppingToken, firstPassAtOnce: true);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await dispatcher.StopAsync();
    }
}
