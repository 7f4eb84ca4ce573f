using ControlPanel.Domain.Applications;

namespace ControlPanel.Domain.Resources;

/// <summary>
/// One method of the platform's API as the check treats it: a method and a path pattern (<see cref="ResourcePattern"/>),
/// whether it needs a session (the seed's padlock), whether its calls count towards the monthly quota, and its per-minute
/// limits per environment and authentication type. A limit left empty is the application's (its admin override, else
/// the seed's table), so a resource only states what differs.
/// </summary>
public class Resource
{
    /// <summary>The default resource: every call no other resource matches, and every call that names no resource.</summary>
    public static readonly Guid DefaultId = new("00000000-0000-0000-0000-00000000d3fa");

    /// <summary>Opening a session and changing its view: not a call of the platform's API, so no catalogue entry governs it.</summary>
    public static readonly Guid SessionManagementId = new("00000000-0000-0000-0000-00000000005e");

    public const string AnyMethod = "*";
    public const string DefaultPath = "/**";
    public const int MethodMaxLength = 10;
    public const int PathMaxLength = 200;
    public const int DescriptionMaxLength = 200;
    /// <summary>Resources in the catalogue at most: each call walks the candidates of its method.</summary>
    public const int MaxCount = 1000;

    public Guid Id { get; set; }
    public string Method { get; set; } = AnyMethod;
    public string Path { get; set; } = DefaultPath;
    public string Description { get; set; } = "";
    public bool SessionRequired { get; set; }
    public bool Counted { get; set; } = true;
    public int? DevelopmentApplicationOnly { get; set; }
    public int? DevelopmentPerUser { get; set; }
    public int? StagingApplicationOnly { get; set; }
    public int? StagingPerUser { get; set; }
    public int? LiveApplicationOnly { get; set; }
    public int? LivePerUser { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    public bool IsDefault => Id == DefaultId;

    /// <summary>The catalogue's default resource when none was saved: counted, no session needed, the application's limits.</summary>
    public static Resource NewDefault() => new() { Id = DefaultId, Description = "Every call no other resource matches" };

    /// <summary>The stated limit for calls in <paramref name="environment"/>; null when the application's applies.</summary>
    public int? LimitFor(ApplicationEnvironment environment, bool perUser) => (environment, perUser) switch
    {
        (ApplicationEnvironment.Development, false) => DevelopmentApplicationOnly,
        (ApplicationEnvironment.Development, true) => DevelopmentPerUser,
        (ApplicationEnvironment.Staging, false) => StagingApplicationOnly,
        (ApplicationEnvironment.Staging, true) => StagingPerUser,
        (ApplicationEnvironment.Live, false) => LiveApplicationOnly,
        (ApplicationEnvironment.Live, true) => LivePerUser,
        _ => null,
    };

    /// <summary>"GET /v1/chats/{id}", "any /**".</summary>
    public string Title => $"{(Method == AnyMethod ? "any" : Method)} {Path}";
}
