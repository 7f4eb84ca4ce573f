using System.Buffers;

namespace ControlPanel.Domain.Resources;

/// <summary>
/// The catalogue compiled for the check: per method, the resources that can match it, most specific first, ending with the
/// default resource (which matches everything). <see cref="Match"/> reads no database and allocates nothing for paths up to
/// <see cref="StackPathLength"/> characters (longer ones borrow a pooled buffer). Built once per change.
/// </summary>
public sealed class RouteTable
{
    /// <summary>Paths up to this long are split on the stack.</summary>
    public const int StackPathLength = 1024;

    private readonly ResourceRule[][] _byMethod;
    private readonly ResourceRule[] _otherMethods;

    public RouteTable(IEnumerable<Resource> resources)
    {
        var rules = resources.Select(r => new ResourceRule(r)).ToList();
        var defaultRule = rules.FirstOrDefault(r => r.IsDefault);
        if (defaultRule is null) rules.Add(defaultRule = new ResourceRule(Resource.NewDefault()));
        Default = defaultRule;
        // Most specific first; equal shapes (which the catalogue refuses to save) in a fixed order all the same.
        var ordered = rules.Where(r => !r.IsDefault)
            .Order(Comparer<ResourceRule>.Create((a, b) =>
            {
                var bySpecificity = ResourcePattern.CompareSpecificity(a.Pattern, b.Pattern);
                return bySpecificity != 0 ? bySpecificity : a.Id.CompareTo(b.Id);
            }))
            .ToList();
        Rules = [.. ordered, defaultRule];
        _byMethod = [.. ResourcePattern.Methods.Select(method => CandidatesFor(ordered, method))];
        _otherMethods = [.. ordered.Where(r => r.Pattern.AnyMethod), defaultRule];
    }

    public static RouteTable Empty { get; } = new([]);

    /// <summary>
    /// Opening a session and changing its view (<see cref="Requests.CheckRequest.SessionManagement"/>): never counted, never
    /// padlocked, in the caller's default window with the application's limits, whatever the catalogue says.
    /// </summary>
    public static ResourceRule SessionManagement { get; } = new(
        new Resource { Id = Resource.SessionManagementId, Method = Resource.AnyMethod, Path = "/api/v1/session/**", Counted = false }, "session management");

    /// <summary>What a call that names no resource, or that no other resource matches, counts as.</summary>
    public ResourceRule Default { get; }

    /// <summary>Every resource, in the order calls are matched (the default last).</summary>
    public IReadOnlyList<ResourceRule> Rules { get; }

    /// <summary>
    /// The resources a call with <paramref name="method"/> can be, in the order they are tried. A HEAD is a GET without the
    /// body, so GET resources govern it too, after a HEAD resource of the same shape.
    /// </summary>
    private ResourceRule[] CandidatesFor(List<ResourceRule> ordered, string method)
    {
        int MethodRank(ResourceRule rule) => rule.Pattern.Method == method ? 0 : rule.Pattern.AnyMethod ? 2 : 1;
        var candidates = ordered
            .Where(r => r.Pattern.Method == method || r.Pattern.AnyMethod || (method == "HEAD" && r.Pattern.Method == "GET"))
            .Order(Comparer<ResourceRule>.Create((a, b) =>
            {
                var byShape = ResourcePattern.CompareShape(a.Pattern, b.Pattern);
                if (byShape != 0) return byShape;
                var byMethod = MethodRank(a).CompareTo(MethodRank(b));
                return byMethod != 0 ? byMethod : a.Id.CompareTo(b.Id);
            }));
        return [.. candidates, Default];
    }

    /// <summary>The resource a call with <paramref name="method"/> on <paramref name="path"/> (a path or URI) is; the default when either is missing.</summary>
    public ResourceRule Match(string? method, string? path)
    {
        if (string.IsNullOrEmpty(path)) return Default;
        var candidates = CandidatesFor(method);
        if (candidates.Length == 1) return Default;

        Span<int> bounds = stackalloc int[ResourcePattern.MaxRequestSegments * 2];
        if (path.Length <= StackPathLength)
        {
            Span<char> buffer = stackalloc char[path.Length];
            return FirstMatch(candidates, RequestPath.Split(path, buffer, bounds));
        }
        var rented = ArrayPool<char>.Shared.Rent(path.Length);
        try
        {
            return FirstMatch(candidates, RequestPath.Split(path, rented, bounds));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private ResourceRule[] CandidatesFor(string? method)
    {
        if (method is null) return _otherMethods;
        var methods = ResourcePattern.MethodList;
        for (var i = 0; i < methods.Length; i++)
            if (string.Equals(methods[i], method, StringComparison.OrdinalIgnoreCase)) return _byMethod[i];
        return _otherMethods;
    }

    private static ResourceRule FirstMatch(ResourceRule[] candidates, in RequestPath path)
    {
        foreach (var rule in candidates)
            if (rule.Pattern.Matches(path)) return rule;
        return candidates[^1];
    }
}
