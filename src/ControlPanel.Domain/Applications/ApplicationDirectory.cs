using System.Collections.Frozen;
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
/// its views, compiled origin allowlist, effective limits and quota. Reloaded whole on every change (the
/// <see cref="ChangeFeed"/>), so the check never reads the database.
/// </summary>
public sealed class ApplicationDirectory : IChangeSubscriber
{
    private readonly IDbContextFactory<ControlPanelDbContext> _databases;
    private readonly IOptions<ApiOptions> _options;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private FrozenDictionary<Guid, ApplicationState> _applications = FrozenDictionary<Guid, ApplicationState>.Empty;
    private OriginAllowlist _browserOrigins = OriginAllowlist.Empty;

    public ApplicationDirectory(IDbContextFactory<ControlPanelDbContext> databases, IOptions<ApiOptions> options)
    {
        _databases = databases;
        _options = options;
    }

    public ChangeTopic Topic => ChangeTopic.Directory;

    public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public ApplicationState? Find(Guid applicationId) => _applications.GetValueOrDefault(applicationId);

    public int Count => _applications.Count;

    /// <summary>
    /// May a browser page on <paramref name="origin"/> call the platform (CORS)? True when some application's allowlist
    /// has a URL entry matching it. A preflight carries no keys, so "admitted by any allowlist" is the only test it can
    /// get; the real call is then checked against its own application's allowlist (111 otherwise). An empty allowlist
    /// admits every caller to the check but no page to CORS: a page needs its origin listed.
    /// </summary>
    public bool AdmitsBrowserOrigin(string origin) => _browserOrigins.AllowsOriginHeader(origin);

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadGate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await _databases.CreateDbContextAsync(cancellationToken);
            var rows = await db.Applications.AsNoTracking()
                .Select(a => new { Application = a, AccountLocked = a.Account!.IsLocked })
                .ToListAsync(cancellationToken);
            var views = (await db.ApplicationViews.AsNoTracking().Select(v => new { v.ApplicationId, v.Name }).ToListAsync(cancellationToken))
                .ToLookup(v => v.ApplicationId, v => v.Name);
            var defaultQuota = _options.Value.DefaultMonthlyQuota;
            var applications = rows.ToFrozenDictionary(r => r.Application.Id,
                r => ApplicationState.From(r.Application, r.AccountLocked, defaultQuota, views[r.Application.Id]));
            // Every application's URL entries in one compiled list: the CORS index, replaced with the applications.
            _browserOrigins = new OriginAllowlist(applications.Values.SelectMany(a => a.Origins.Entries).Where(e => e.Kind == OriginKind.Url));
            _applications = applications;
        }
        finally
        {
            _reloadGate.Release();
        }
    }
}

/// <summary>One application as the request check sees it. Immutable; replaced on every reload.</summary>
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

    /// <summary>Pre-formatted for response headers and rate-limit partitions, so the check does not format them per call.</summary>
    public required string IdText { get; init; }
    public required string EnvironmentText { get; init; }
    /// <summary>The key of this application's quota months in the shared counters.</summary>
    public required string QuotaKey { get; init; }

    /// <summary>The rate-limit partition of application-only calls from one client address (to one resource, by its suffix).</summary>
    public string PartitionFor(string clientAddress, string resourceSuffix = "") => string.Concat("a:", IdText, ":", clientAddress, resourceSuffix);

    internal static ApplicationState From(Application application, bool accountLocked, long defaultQuota, IEnumerable<string> views) => new()
    {
        Id = application.Id,
        AccountId = application.AccountId,
        Name = application.Name,
        Environment = application.Environment,
        IsOnline = application.IsOnline,
        AccountLocked = accountLocked,
        DefaultView = application.DefaultView,
        Views = views.Append(application.DefaultView).ToFrozenSet(StringComparer.Ordinal),
        // Saved lists were validated by AllowlistService; a line that no longer parses fails closed (every call 111) and the Allowlist tab shows it.
        Origins = OriginAllowlist.FromStored(application.AllowedOrigins, application.AllowlistRequiresBoth),
        ApplicationRateLimit = application.ApplicationRateLimit ?? RateLimitTable.ApplicationOnly(application.Environment),
        PerUserRateLimit = application.PerUserRateLimit ?? RateLimitTable.PerUser(application.Environment),
        MonthlyQuota = application.MonthlyQuota ?? defaultQuota,
        OverrunAllowance = application.QuotaOverrunAllowance,
        IdText = application.Id.ToString(),
        EnvironmentText = application.Environment.ToString(),
        QuotaKey = QuotaLedger.QuotaKey(application.Id),
    };
}
