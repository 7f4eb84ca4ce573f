using ControlPanel.Domain.Data;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Tells open dashboards that an application or account changed, on any instance (an Admin took an application offline, an
/// account was locked), so they show it without a refresh. Watchers get the change's subject (null: anything may have changed)
/// and ask <see cref="Dashboard.Concerns"/> whether it is theirs.
/// </summary>
public sealed class DashboardChanges : IChangeSubscriber
{
    private readonly ChangeWatchers<Guid?> _watchers = new();

    public ChangeTopic Topic => ChangeTopic.Application;

    public bool Follows(ChangeTopic topic) => topic is ChangeTopic.Application or ChangeTopic.Account or ChangeTopic.Directory;

    public IDisposable Watch(Func<Guid?, Task> changed) => _watchers.Watch(changed);

    public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) => _watchers.NotifyAsync(subjectId);
}
