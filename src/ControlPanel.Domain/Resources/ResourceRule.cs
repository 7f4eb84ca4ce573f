using ControlPanel.Domain.Applications;

namespace ControlPanel.Domain.Resources;

/// <summary>One resource as the request check uses it: immutable, replaced with the whole <see cref="RouteTable"/> on every change.</summary>
public sealed class ResourceRule
{
    // Index: environment * 2 + (per user ? 1 : 0); 0 is "the application's limit" (a stated limit is at least 1).
    private readonly int[] _limits;

    internal ResourceRule(Resource resource, string? title = null)
    {
        Id = resource.Id;
        Pattern = ResourcePattern.Create(resource.Method, resource.Path);
        Title = title ?? resource.Title;
        SessionRequired = resource.SessionRequired;
        Counted = resource.Counted;
        IsDefault = resource.IsDefault;
        IdText = resource.Id.ToString("N");
        // The default resource keeps the windows calls had before there were resources, so an upgrade resets no one's window;
        // session management shares them, as it did.
        PartitionSuffix = IsDefault || resource.Id == Resource.SessionManagementId ? "" : ":" + IdText;
        _limits = new int[6];
        foreach (var environment in Enum.GetValues<ApplicationEnvironment>())
        {
            _limits[(int)environment * 2] = resource.LimitFor(environment, perUser: false) ?? 0;
            _limits[(int)environment * 2 + 1] = resource.LimitFor(environment, perUser: true) ?? 0;
        }
    }

    public Guid Id { get; }
    public ResourcePattern Pattern { get; }
    /// <summary>"GET /v1/chats/{id}".</summary>
    public string Title { get; }
    /// <summary>The seed's padlock: a call without a Bearer token answers 194.</summary>
    public bool SessionRequired { get; }
    /// <summary>Calls count towards the monthly quota.</summary>
    public bool Counted { get; }
    public bool IsDefault { get; }
    /// <summary>The id as 32 hex digits: the usage meter's and the limit partitions' name for the resource.</summary>
    public string IdText { get; }
    /// <summary>Appended to the caller's rate-limit partition: each resource has its own windows ("" for the default resource).</summary>
    public string PartitionSuffix { get; }

    /// <summary>Calls per minute for <paramref name="application"/>'s callers: this resource's stated limit, else the application's.</summary>
    public int LimitFor(ApplicationState application, bool perUser)
    {
        var stated = _limits[(int)application.Environment * 2 + (perUser ? 1 : 0)];
        return stated > 0 ? stated : perUser ? application.PerUserRateLimit : application.ApplicationRateLimit;
    }
}
