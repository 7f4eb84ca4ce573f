using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Resources;

/// <summary>
/// The resource catalogue as the request check reads it: a compiled <see cref="RouteTable"/>, rebuilt whole on every change
/// (the <see cref="ChangeFeed"/>'s <see cref="ChangeTopic.Resources"/>), so matching a call never reads the database.
/// </summary>
public sealed class ResourceCatalogue(IDbContextFactory<ControlPanelDbContext> databases) : IChangeSubscriber
{
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private volatile RouteTable _table = RouteTable.Empty;

    public ChangeTopic Topic => ChangeTopic.Resources;

    public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    /// <summary>The table in force now.</summary>
    public RouteTable Table => _table;

    /// <summary>
    /// A resource's name now, for what was recorded under its id (usage, a session's activity): the session management
    /// pseudo-resource by its own name, a resource deleted since by its id.
    /// </summary>
    public string TitleOf(Guid resourceId)
    {
        if (resourceId == Resource.SessionManagementId) return RouteTable.SessionManagement.Title;
        foreach (var rule in _table.Rules)
            if (rule.Id == resourceId) return rule.Title;
        return $"deleted resource {resourceId.ToString("N")[..8]}";
    }

    /// <summary>The resource a call is (see <see cref="RouteTable.Match"/>).</summary>
    public ResourceRule Match(string? method, string? path) => _table.Match(method, path);

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadGate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            _table = new RouteTable(await db.Resources.AsNoTracking().ToListAsync(cancellationToken));
        }
        finally
        {
            _reloadGate.Release();
        }
    }
}
