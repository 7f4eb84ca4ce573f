using ControlPanel.Domain.Data;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Background;

/// <summary>Follows the changes other instances store, so a change made anywhere is in force here within a second.</summary>
public sealed class ChangeFollower(ChangeFeed changes, IOptions<DatabaseOptions> options, ILogger<ChangeFollower> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        changes.FollowAsync(
            options.Value.ChangePollInterval,
            error => logger.LogWarning(error, "Could not follow the change log; trying again."),
            stoppingToken);
}
