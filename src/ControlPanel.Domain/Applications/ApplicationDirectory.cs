using System.Collections.Frozen;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Applications;

/// <summary>
/// Every application as the request check needs it, in memory: status, environment, account lock,
/// its views, compiled origin allowlist, effective limits and quota, so the check never reads the database. A change
/// of one application or account (<see cref="ChangeTopic.Application"/>, <see cref="ChangeTopic.Account"/>) reads only
/// those applications again; the whole directory is read at start and when this instance fell behind the
/// <see cref="ChangeFeed"/>, row by row.
/// </summary>
public sealed class ApplicationDirectory : IChangeSubscriber
{
    private readonly IDbContextFactory<ControlPanelDbContext> _databases;
    private readonly IOptions<ApiOptions> _options;
    // One writer at a time, each reading the database after the change it applies committed: the last write is the newest state.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ShardedMap<Guid, ApplicationState> _applications = new();
    // What applications share (written under _writeGate only): one string per view name, one set of views per default
    // view for the many applications that have no other view.
    private readonly Dictionary<string, string> _viewNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FrozenSet<string>> _defaultOnlyViews = new(StringComparer.Ordinal);
    // The URL entries of the applications that have any (written under _writeGate only): the CORS index is compiled from these.
    private Dictionary<Guid, OriginEntry[]> _urlEntries = [];
    private OriginAllowlist _browserOrigins = OriginAllowlist.Empty;

    public ApplicationDirectory(IDbContextFactory<ControlPanelDbContext> databases, IOptions<ApiOptions> options)
    {
        _databases = databases;
        _options = options;
    }

    public ChangeTopic Topic => ChangeTopic.Directory;

    public bool Follows(ChangeTopic topic) => topic is ChangeTopic.Directory or ChangeTopic.Application or ChangeTopic.Account;

    public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) => ApplyChangeAsync(Topic, subjectId, cancellationToken);

    public Task ApplyChangeAsync(ChangeTopic topic, Guid? subjectId, CancellationToken cancellationToken) => (topic, subjectId) switch
    {
        (ChangeTopic.Application, { } applicationId) => ReloadWhereAsync(a => a.Id == applicationId, () => [applicationId], cancellationToken),
        (ChangeTopic.Account, { } accountId) => ReloadWhereAsync(a => a.AccountId == accountId, () => HeldOf(accountId), cancellationToken),
        _ => ReloadAsync(cancellationToken),
    };

    public ApplicationState? Find(Guid applicationId) => _applications.GetValueOrDefault(applicationId);

    public int Count => _applications.Count;

    /// <summary>
    /// May a browser page on <paramref name="origin"/> call the platform (CORS)? True when some application's allowlist
    /// has a URL entry matching it. A preflight carries no keys, so "admitted by any allowlist" is the only test it can
    /// get; the real call is then checked against its own application's allowlist (111 otherwise). An empty allowlist
    /// admits every caller to the check but no page to CORS: a page needs its origin listed.
    /// </summary>
    public bool AdmitsBrowserOrigin(string origin) => _browserOrigins.AllowsOriginHeader(origin);

    /// <summary>Reads every application again, streaming rows into a new directory that replaces the old one when complete.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var applications = new ShardedMap<Guid, ApplicationState>.Builder();
            var urlEntries = new Dictionary<Guid, OriginEntry[]>();
            await foreach (var state in ReadAsync(_ => true, cancellationToken))
            {
                applications.Set(state.Id, state);
                if (UrlEntries(state) is { } entries) urlEntries[state.Id] = entries;
            }
            _applications.Replace(applications);
            SetBrowserOrigins(urlEntries);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Reads the applications <paramref name="which"/> selects again; those of <paramref name="held"/> (what the change concerns,
    /// as held here) that the database no longer gives, as deleted, are removed.
    /// </summary>
    private async Task ReloadWhereAsync(Expression<Func<Application, bool>> which, Func<IEnumerable<Guid>> held, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var states = new List<ApplicationState>();
            await foreach (var state in ReadAsync(which, cancellationToken)) states.Add(state);
            var read = states.Select(s => s.Id).ToHashSet();
            var gone = held().Where(id => !read.Contains(id) && _applications.TryGetValue(id, out _)).ToList();
            _applications.Update(gone, states.Select(s => KeyValuePair.Create(s.Id, s)));

            var urlEntries = new Dictionary<Guid, OriginEntry[]>(_urlEntries);
            var changed = false;
            foreach (var id in gone) changed |= urlEntries.Remove(id);
            foreach (var state in states)
            {
                changed |= urlEntries.Remove(state.Id);
                if (UrlEntries(state) is { } entries) (urlEntries[state.Id], changed) = (entries, true);
            }
            if (changed) SetBrowserOrigins(urlEntries);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // A scan of the whole directory, but account changes (a lock, a deletion) are rare; application changes name their one id.
    private List<Guid> HeldOf(Guid accountId) => _applications.Values.Where(s => s.AccountId == accountId).Select(s => s.Id).ToList();

    private async IAsyncEnumerable<ApplicationState> ReadAsync(Expression<Func<Application, bool>> which, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        // A deleted account's applications are out of service during its grace period: their keys are unknown.
        var applications = db.Applications.AsNoTracking().Where(which).Where(a => a.Account!.DeletionRequestedAt == null);
        // Every application has its default view; only the others are read (few applications have any).
        var otherViews = (await (from view in db.ApplicationViews.AsNoTracking()
                                 join application in applications on view.ApplicationId equals application.Id
                                 where view.Name != application.DefaultView
                                 select new { view.ApplicationId, view.Name }).ToListAsync(cancellationToken))
            .ToLookup(v => v.ApplicationId, v => v.Name);
        var defaultQuota = _options.Value.DefaultMonthlyQuota;
        var rows = applications.Select(a => new { Application = a, AccountLocked = a.Account!.IsLocked }).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var application = row.Application;
            application.DefaultView = Shared(application.DefaultView);
            yield return ApplicationState.From(application, row.AccountLocked, defaultQuota, ViewsOf(application.DefaultView, otherViews[application.Id]));
        }
    }

    private FrozenSet<string> ViewsOf(string defaultView, IEnumerable<string> otherViews)
    {
        var others = otherViews.Select(Shared).ToList();
        if (others.Count > 0) return others.Append(defaultView).ToFrozenSet(StringComparer.Ordinal);
        if (!_defaultOnlyViews.TryGetValue(defaultView, out var views))
            _defaultOnlyViews[defaultView] = views = new[] { defaultView }.ToFrozenSet(StringComparer.Ordinal);
        return views;
    }

    private string Shared(string viewName)
    {
        if (_viewNames.TryGetValue(viewName, out var shared)) return shared;
        _viewNames[viewName] = viewName;
        return viewName;
    }

    private static OriginEntry[]? UrlEntries(ApplicationState state)
    {
        var entries = state.Origins.Entries.Where(e => e.Kind == OriginKind.Url).ToArray();
        return entries.Length == 0 ? null : entries;
    }

    private void SetBrowserOrigins(Dictionary<Guid, OriginEntry[]> urlEntries)
    {
        // Every application's URL entries in one compiled list: the CORS index.
        _browserOrigins = new OriginAllowlist(urlEntries.Values.SelectMany(e => e));
        _urlEntries = urlEntries;
    }
}

/// <summary>
/// One application as the request check sees it. Immutable; replaced when it changes. Kept small, as there is one per
/// application: what applications have in common is shared (the set of views of an application with only its default
/// view, an empty allowlist, the view names), and the texts the check formats once are made on the first call that needs them.
/// </summary>
public sealed class ApplicationState
{
    public required Guid Id { get; init; }
    public required Guid AccountId { get; init; }
    public required string Name { get; init; }
    public required ApplicationEnvironment Environment { get; init; }
    public required bool IsOnline { get; init; }
    public required bool AccountLocked { get; init; }
    public required string DefaultView { get; init; }
    /// <summary>The views a session may change to (the owner's list, the default among them): answers view changes without the database.</summary>
    public required FrozenSet<string> Views { get; init; }
    public required OriginAllowlist Origins { get; init; }
    /// <summary>Calls per minute per client IP (application-only authentication).</summary>
    public required int ApplicationRateLimit { get; init; }
    /// <summary>Calls per minute per session (per-user authentication).</summary>
    public required int PerUserRateLimit { get; init; }
    public required long MonthlyQuota { get; init; }
    public required long OverrunAllowance { get; init; }

    // Made once, on first use: most applications of a large directory are never called between two restarts.
    private string? _idText;
    private string? _quotaKey;

    /// <summary>Pre-formatted for response headers and rate-limit partitions, so the check does not format them per call.</summary>
    public string IdText => _idText ??= Id.ToString();
    /// <summary>The environment's name (the runtime keeps one string per name).</summary>
    public string EnvironmentText => Environment.ToString();
    /// <summary>The key of this application's quota months in the shared counters.</summary>
    public string QuotaKey => _quotaKey ??= QuotaLedger.QuotaKey(Id);

    /// <summary>The rate-limit partition of application-only calls from one client address (to one resource, by its suffix).</summary>
    public string PartitionFor(string clientAddress, string resourceSuffix = "") => string.Concat("a:", IdText, ":", clientAddress, resourceSuffix);

    internal static ApplicationState From(Application application, bool accountLocked, long defaultQuota, FrozenSet<string> views) => new()
    {
        Id = application.Id,
        AccountId = application.AccountId,
        Name = application.Name,
        Environment = application.Environment,
        IsOnline = application.IsOnline,
        AccountLocked = accountLocked,
        DefaultView = application.DefaultView,
        Views = views,
        // Saved lists were validated by AllowlistService; a line that no longer parses fails closed (every call 111) and the Allowlist tab shows it.
        Origins = OriginAllowlist.FromStored(application.AllowedOrigins, application.AllowlistRequiresBoth),
        ApplicationRateLimit = application.ApplicationRateLimit ?? RateLimitTable.ApplicationOnly(application.Environment),
        PerUserRateLimit = application.PerUserRateLimit ?? RateLimitTable.PerUser(application.Environment),
        MonthlyQuota = application.MonthlyQuota ?? defaultQuota,
        OverrunAllowance = application.QuotaOverrunAllowance,
    };
}
