using ControlPanel.Domain.Usage;

namespace ControlPanel.Web.Usage;

/// <summary>Deletes usage rows past their retention once at start and then every hour.</summary>
public sealed class UsageRetentionService(UsageRetention retention, ILogger<UsageRetentionService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    var deleted = await retention.DeleteExpiredAsync(stoppingToken);
                    if (deleted.MinuteRows + deleted.DayRows > 0)
                        logger.LogInformation("Usage retention deleted {MinuteRows} minute rows and {DayRows} day rows.", deleted.MinuteRows, deleted.DayRows);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Usage retention failed; retrying in an hour.");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }
}
