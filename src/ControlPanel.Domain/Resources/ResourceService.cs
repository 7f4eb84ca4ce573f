using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Resources;

/// <summary>
/// The resource catalogue: listed for every signed-in role (it is the platform's API as the check enforces it), changed by
/// Admins only. Each change is validated (per field), audited, and in force on this instance when the call returns and on
/// the others within a second (the change feed). Overlapping patterns are pointed out as warnings; a pattern another
/// resource already has (same method, same paths) is refused, since it could never be reached.
/// </summary>
public sealed class ResourceService(IDbContextFactory<ControlPanelDbContext> databases, ChangeFeed changes, TimeProvider clock)
{
    public sealed record Row(
        Guid Id, string Method, string Path, string Title, string Description, bool SessionRequired, bool Counted, bool IsDefault,
        IReadOnlyDictionary<ApplicationEnvironment, Limits> Limits, DateTime UpdatedAt, string UpdatedBy);

    /// <summary>A resource's stated limits in one environment; null is the application's limit.</summary>
    public sealed record Limits(int? ApplicationOnly, int? PerUser);

    /// <summary>Something an Admin should look at, about <see cref="ResourceId"/>.</summary>
    public sealed record Warning(Guid ResourceId, string Message);

    public sealed record Catalogue(IReadOnlyList<Row> Resources, IReadOnlyList<Warning> Warnings);

    public sealed class Form : IValidatableObject
    {
        public string Method { get; set; } = "GET";
        public string Path { get; set; } = "";

        [StringLength(Resource.DescriptionMaxLength, ErrorMessage = "The description is at most 200 characters.")]
        public string? Description { get; set; }

        public bool SessionRequired { get; set; }
        public bool Counted { get; set; } = true;

        [Range(Application.MinRateLimit, Application.MaxRateLimit, ErrorMessage = LimitMessage)] public int? DevelopmentApplicationOnly { get; set; }
        [Range(Application.MinRateLimit, Application.MaxRateLimit, ErrorMessage = LimitMessage)] public int? DevelopmentPerUser { get; set; }
        [Range(Application.MinRateLimit, Application.MaxRateLimit, ErrorMessage = LimitMessage)] public int? StagingApplicationOnly { get; set; }
        [Range(Application.MinRateLimit, Application.MaxRateLimit, ErrorMessage = LimitMessage)] public int? StagingPerUser { get; set; }
        [Range(Application.MinRateLimit, Application.MaxRateLimit, ErrorMessage = LimitMessage)] public int? LiveApplicationOnly { get; set; }
        [Range(Application.MinRateLimit, Application.MaxRateLimit, ErrorMessage = LimitMessage)] public int? LivePerUser { get; set; }

        private const string LimitMessage = "A limit is from 1 to 1,000,000 calls per minute, or empty for the application's limit.";

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (ResourcePattern.MethodError(Method) is { } methodError) yield return new ValidationResult(methodError, [nameof(Method)]);
            if (ResourcePattern.PathError(Path) is { } pathError) yield return new ValidationResult(pathError, [nameof(Path)]);
        }

        public static Form From(Row row) => new()
        {
            Method = row.Method,
            Path = row.Path,
            Description = row.Description,
            SessionRequired = row.SessionRequired,
            Counted = row.Counted,
            DevelopmentApplicationOnly = row.Limits[ApplicationEnvironment.Development].ApplicationOnly,
            DevelopmentPerUser = row.Limits[ApplicationEnvironment.Development].PerUser,
            StagingApplicationOnly = row.Limits[ApplicationEnvironment.Staging].ApplicationOnly,
            StagingPerUser = row.Limits[ApplicationEnvironment.Staging].PerUser,
            LiveApplicationOnly = row.Limits[ApplicationEnvironment.Live].ApplicationOnly,
            LivePerUser = row.Limits[ApplicationEnvironment.Live].PerUser,
        };

        internal void ApplyTo(Resource resource)
        {
            if (!resource.IsDefault)
            {
                resource.Method = Method.Trim().ToUpperInvariant();
                resource.Path = ResourcePattern.Normalise(Path);
            }
            resource.Description = Description?.Trim() ?? "";
            resource.SessionRequired = SessionRequired;
            resource.Counted = Counted;
            resource.DevelopmentApplicationOnly = DevelopmentApplicationOnly;
            resource.DevelopmentPerUser = DevelopmentPerUser;
            resource.StagingApplicationOnly = StagingApplicationOnly;
            resource.StagingPerUser = StagingPerUser;
            resource.LiveApplicationOnly = LiveApplicationOnly;
            resource.LivePerUser = LivePerUser;
        }
    }

    /// <summary>Every resource in the order calls are matched (the default last), with the overlaps an Admin should look at.</summary>
    public async Task<Catalogue> ListAsync(Viewer viewer)
    {
        EnsureMayRead(viewer);
        var resources = await LoadAsync();
        var order = new RouteTable(resources).Rules.Select((rule, index) => (rule.Id, index)).ToDictionary(x => x.Id, x => x.index);
        var rows = resources.OrderBy(r => order[r.Id]).Select(ToRow).ToList();
        return new Catalogue(rows, Warnings(resources));
    }

    /// <summary>One resource; null when there is none with that id.</summary>
    public async Task<Row?> FindAsync(Viewer viewer, Guid id)
    {
        EnsureMayRead(viewer);
        return (await LoadAsync()).Where(r => r.Id == id).Select(ToRow).FirstOrDefault();
    }

    /// <summary>Adds a resource; returns its id.</summary>
    public async Task<Guid> CreateAsync(Viewer viewer, Form form)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        FormValidation.ThrowIfInvalid(form);
        await using var db = await databases.CreateDbContextAsync();
        var existing = await db.Resources.AsNoTracking().ToListAsync();
        if (existing.Count(r => !r.IsDefault) >= Resource.MaxCount)
            throw new ValidationException($"The catalogue holds at most {Resource.MaxCount} resources.");
        var resource = new Resource { Id = Guid.NewGuid() };
        form.ApplyTo(resource);
        ThrowIfUnreachable(resource, existing);
        Stamp(resource, viewer);
        db.Resources.Add(resource);
        AuditLog.Record(db, viewer, resource.UpdatedAt, AuditActions.ResourceCreated, null, null, $"Added resource {Describe(resource)}");
        await changes.SaveAsync(db, ChangeTopic.Resources, resource.Id);
        return resource.Id;
    }

    /// <summary>Changes a resource. The default resource's method and pattern stay "any /**"; the rest of it may change.</summary>
    public async Task UpdateAsync(Viewer viewer, Guid id, Form form)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        if (id == Resource.DefaultId) form = WithDefaultPattern(form);
        FormValidation.ThrowIfInvalid(form);
        await using var db = await databases.CreateDbContextAsync();
        var resource = await db.Resources.SingleOrDefaultAsync(r => r.Id == id);
        if (resource is null)
        {
            if (id != Resource.DefaultId) throw new ValidationException("There is no such resource; it may have been deleted.");
            resource = Resource.NewDefault();
            db.Resources.Add(resource);
        }
        var before = Describe(resource);
        form.ApplyTo(resource);
        ThrowIfUnreachable(resource, await db.Resources.AsNoTracking().Where(r => r.Id != id).ToListAsync());
        var after = Describe(resource);
        if (before == after && db.Entry(resource).State != EntityState.Added) return;
        Stamp(resource, viewer);
        AuditLog.Record(db, viewer, resource.UpdatedAt, AuditActions.ResourceUpdated, null, null, $"Resource {before} → {after}");
        await changes.SaveAsync(db, ChangeTopic.Resources, resource.Id);
    }

    /// <summary>Deletes a resource: its calls become the default resource's (or a less specific one's). The default cannot be deleted.</summary>
    public async Task DeleteAsync(Viewer viewer, Guid id)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        if (id == Resource.DefaultId) throw new ValidationException("The default resource cannot be deleted: it is every call no other resource matches.");
        await using var db = await databases.CreateDbContextAsync();
        var resource = await db.Resources.SingleOrDefaultAsync(r => r.Id == id)
            ?? throw new ValidationException("There is no such resource; it may have been deleted.");
        db.Resources.Remove(resource);
        AuditLog.Record(db, viewer, clock.GetUtcNow().UtcDateTime, AuditActions.ResourceDeleted, null, null, $"Deleted resource {Describe(resource)}");
        await changes.SaveAsync(db, ChangeTopic.Resources, id);
    }

    /// <summary>
    /// Pairs of resources some call matches both of where neither is a special case of the other (<c>GET /v1/chats/*</c> and
    /// <c>GET /v1/*/messages</c> both match <c>/v1/chats/messages</c>): the more specific one from the left wins every such call,
    /// which may not be what was meant.
    /// </summary>
    public static IReadOnlyList<Warning> Warnings(IReadOnlyList<Resource> resources)
    {
        var patterns = resources.Where(r => !r.IsDefault).Select(r => (r, p: ResourcePattern.Create(r.Method, r.Path))).ToList();
        var warnings = new List<Warning>();
        for (var i = 0; i < patterns.Count; i++)
            for (var j = i + 1; j < patterns.Count; j++)
            {
                var (a, b) = (patterns[i], patterns[j]);
                if (!a.p.Overlaps(b.p) || a.p.Within(b.p) || b.p.Within(a.p)) continue;
                var (winner, loser) = ResourcePattern.CompareSpecificity(a.p, b.p) <= 0 ? (a.r, b.r) : (b.r, a.r);
                var message = $"{a.r.Title} overlaps {b.r.Title}: calls that match both are {winner.Title}, never {loser.Title}.";
                warnings.Add(new Warning(a.r.Id, message));
                warnings.Add(new Warning(b.r.Id, message));
            }
        return warnings;
    }

    private static void ThrowIfUnreachable(Resource resource, IEnumerable<Resource> others)
    {
        var pattern = ResourcePattern.Create(resource.Method, resource.Path);
        foreach (var other in others.Append(Resource.NewDefault()))
        {
            if (other.Id == resource.Id) continue;
            var otherPattern = ResourcePattern.Create(other.Method, other.Path);
            if (pattern.SameAs(otherPattern))
                throw new ValidationException(new ValidationResult(
                    $"{other.Title} already matches exactly these calls, so this resource could never be reached. Change that one instead.",
                    [nameof(Form.Path)]), null, resource.Path);
        }
    }

    private async Task<List<Resource>> LoadAsync()
    {
        await using var db = await databases.CreateDbContextAsync();
        var resources = await db.Resources.AsNoTracking().ToListAsync();
        if (!resources.Any(r => r.IsDefault)) resources.Add(Resource.NewDefault());
        return resources;
    }

    private static void EnsureMayRead(Viewer viewer)
    {
        if (!viewer.IsStaff && !viewer.IsMember) throw new AccessDeniedException();
    }

    private void Stamp(Resource resource, Viewer viewer)
    {
        resource.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        resource.UpdatedBy = viewer.Name;
    }

    private static Form WithDefaultPattern(Form form)
    {
        form.Method = Resource.AnyMethod;
        form.Path = Resource.DefaultPath;
        return form;
    }

    private static Row ToRow(Resource r) => new(
        r.Id, r.Method, r.Path, r.Title, r.Description, r.SessionRequired, r.Counted, r.IsDefault,
        Enum.GetValues<ApplicationEnvironment>().ToDictionary(e => e, e => new Limits(r.LimitFor(e, perUser: false), r.LimitFor(e, perUser: true))),
        r.UpdatedAt, r.UpdatedBy);

    /// <summary>The resource in words, for the audit log.</summary>
    private static string Describe(Resource r)
    {
        static string Limit(int? limit) => limit is { } l ? $"{l:N0}" : "app";
        var limits = string.Join(", ", Enum.GetValues<ApplicationEnvironment>()
            .Select(e => $"{e} {Limit(r.LimitFor(e, false))}/{Limit(r.LimitFor(e, true))}"));
        return $"{r.Title} ({(r.SessionRequired ? "session required" : "no session needed")}, {(r.Counted ? "counted" : "not counted")}, " +
               $"per-minute limits application-only/per-user: {limits}" + (r.Description.Length > 0 ? $"; \"{r.Description}\"" : "") + ")";
    }
}
