using ControlPanel.Domain.Data;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Background;

/// <summary>Follows the changes other instances store, so a change made anywhere is in force here within a second.</summary>
public sealed class ChangeFollower(ChangeFeed changes, StateLoader loader, IOptions<DatabaseOptions> options, ILogger<ChangeFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The log is followed from where the start left it: reading it before would reload the whole directory a second time.
        await loader.Loaded.WaitAsync(stoppingToken);
        await changes.FollowAsync(
            options.Value.ChangePollInterval,
            error => logger.LogWarning(error, "Could not follow the change log; trying again."),
            stoppingToken);
    }
}
