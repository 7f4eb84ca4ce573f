using ControlPanel.Domain.Email;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Background;

/// <summary>Drives the mail dispatcher on a timer, and says at start where mail goes.</summary>
public sealed class MailDeliveryWorker(MailDispatcher dispatcher, IOptions<EmailOptions> options, TimeProvider clock, ILogger<MailDeliveryWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Mail goes to {Transport}. Links in mails start with {PublicBaseUrl}.", dispatcher.Transport.Description, options.Value.LinkBase());
        await PeriodicWork.RunAsync(clock, options.Value.PollInterval, dispatcher.DispatchAsync,
            error => logger.LogWarning(error, "Mail dispatch pass failed; trying again on the next tick."), stoppingToken, firstPassAtOnce: true);
    }
}
