using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Origins;

namespace ControlPanel.Domain.Requests;

/// <summary>The "Api" section of appsettings.json: how the key-validation API trusts callers and counts quotas.</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string Section = "Api";

    /// <summary>The thresholds used when none are configured.</summary>
    public static readonly IReadOnlyList<int> DefaultNotificationThresholds = [80, 90, 100];

    /// <summary>Refuse calls not made over HTTPS with 101 (X-Forwarded-Proto counts from trusted proxies).</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>
    /// Gateways (IPs or CIDR ranges) whose X-Forwarded-For, X-Real-IP and X-Forwarded-Proto headers
    /// are believed, and whose verify calls may name the client's IP. Empty trusts nobody.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>The shortest gateway secret accepted: guessing it must be out of reach.</summary>
    public const int GatewaySecretMinLength = 32;

    /// <summary>
    /// Known only to the gateways, which send it in X-ControlPanel-Gateway-Secret: the proof that they,
    /// not the client, set X-ControlPanel-Counted (or verify's counted). Unset, no call is ever exempt from the quota.
    /// </summary>
    public string? GatewaySecret { get; set; }

    /// <summary>Counted calls per application per calendar month (UTC) unless an admin set the application's own.</summary>
    [Range(0, Application.MaxQuota)]
    public long DefaultMonthlyQuota { get; set; } = 1_000_000;

    /// <summary>Percentages of the quota at which the owner is notified, once each per month. Empty means 80, 90, 100.</summary>
    public int[] QuotaNotificationThresholds { get; set; } = [];

    /// <summary>
    /// Bearer tokens this instance does not hold that it may look up in the database per second (a
    /// session opened on another instance moments ago); past it they answer 114 until the next second,
    /// so a flood of made-up tokens cannot turn into a flood of queries. Only tokens whose MAC verifies
    /// (signed by some instance) are looked up, so forgeries never spend this budget.
    /// </summary>
    [Range(0, 100_000)]
    public int SessionLookupsPerSecond { get; set; } = 200;

    /// <summary>
    /// Sessions one application may open per minute, all its key pairs and client addresses together
    /// (exact across instances); past it <c>POST /api/v1/session</c> answers 158 RATE LIMIT EXCEEDED (429)
    /// with rate-limit headers for this window. Each session is a row and memory for 26 hours.
    /// </summary>
    [Range(1, 1_000_000)]
    public int SessionsPerApplicationPerMinute { get; set; } = 300;

    /// <summary>
    /// Unexpired sessions one key pair may hold at once; past it <c>POST /api/v1/session</c> answers
    /// 196 YOUR SLOTS ARE FULL (429, with Retry-After until the oldest of them expires).
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxLiveSessionsPerKeyPair { get; set; } = 10_000;

    /// <summary>
    /// Calls from one client address (an IPv6 client is its /64) that may be refused before any application is known
    /// (missing or unknown keys, bad headers, unknown tokens) per minute; past it every call from that address answers
    /// 158 RATE LIMIT EXCEEDED (429) until the minute ends, so keys and tokens cannot be guessed at the speed of the check.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RefusedCallsPerAddressPerMinute { get; set; } = 100;

    public IReadOnlyList<int> NotificationThresholds =>
        QuotaNotificationThresholds.Length == 0 ? DefaultNotificationThresholds : QuotaNotificationThresholds.Distinct().Order().ToArray();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in TrustedProxies)
            if (!OriginEntry.TryParse(proxy, out var entry, out var error) || entry.Kind != OriginKind.Ip)
                yield return new ValidationResult($"Api:TrustedProxies: '{proxy}' is not an IP address or CIDR range. {error}", [nameof(TrustedProxies)]);
        if (!string.IsNullOrEmpty(GatewaySecret) && GatewaySecret.Length < GatewaySecretMinLength)
            yield return new ValidationResult($"Api:GatewaySecret must be at least {GatewaySecretMinLength} characters (for example 32 random bytes in Base64).", [nameof(GatewaySecret)]);
        foreach (var threshold in QuotaNotificationThresholds)
            if (threshold is < 1 or > 100)
                yield return new ValidationResult($"Api:QuotaNotificationThresholds: {threshold} is not a percentage from 1 to 100.", [nameof(QuotaNotificationThresholds)]);
    }

    /// <summary>The trusted proxies as a matcher; an empty list matches nobody (unlike an empty origin allowlist).</summary>
    public OriginAllowlist? CompileTrustedProxies() =>
        TrustedProxies.Length == 0 ? null : OriginAllowlist.Parse(TrustedProxies).ToAllowlist();
}
