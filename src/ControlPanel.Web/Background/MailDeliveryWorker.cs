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
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        try
        {
            do
            {
                try { await dispatcher.DispatchAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Mail dispatch pass failed; trying again on the next tick.");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }
}
