using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Applications;

/// <summary>An account's application: what a key pair identifies on the platform.</summary>
public class Application : IAccountOwned
{
    public const int NameMaxLength = 80;
    public const int NameMinLength = 2;
    public const int ViewMaxLength = 100;
    public const string DefaultViewName = "default";
    /// <summary>What a view name may look like: the application's default view and a session's view alike.</summary>
    public const string ViewPattern = @"^[A-Za-z0-9][A-Za-z0-9 _.\-]*$";
    public const long MaxQuota = 1_000_000_000_000;
    public const int MinRateLimit = 1;
    public const int MaxRateLimit = 1_000_000;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid AccountId { get; set; }
    public Account? Account { get; set; }
    public required string Name { get; set; }
    public ApplicationEnvironment Environment { get; set; }
    /// <summary>An offline application's calls answer error 110 APPLICATION OFFLINE.</summary>
    public bool IsOnline { get; set; } = true;
    /// <summary>Offline because an Admin took it offline: a suspension only an Admin lifts (the owner sees it and why).</summary>
    public bool SuspendedByAdmin { get; set; }
    /// <summary>What the Admin gave as the suspension's reason, shown to the owner; null when none was given.</summary>
    public string? SuspensionReason { get; set; }
    public const int SuspensionReasonMaxLength = 500;
    /// <summary>The seed ties keys to "a default view onto your knowledge base and product set"; a session may later change it.</summary>
    public string DefaultView { get; set; } = DefaultViewName;
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>
    /// Origin access identity: normalised allowlist entries (URL origins, IPs, CIDR ranges), one per
    /// line. Empty allows every caller. Written only through <c>AllowlistService</c>, which validates.
    /// </summary>
    public string AllowedOrigins { get; set; } = "";

    /// <summary>
    /// When the allowlist has both URL and IP entries: true, a call must match one of each (an allowed page on an
    /// allowed network); false (the default), either kind admits it. See <see cref="Origins.OriginAllowlist.RequiresBoth"/>.
    /// </summary>
    public bool AllowlistRequiresBoth { get; set; }

    /// <summary>Admin override of the seed's application-only limit (calls per minute per client IP); null keeps the table's value.</summary>
    public int? ApplicationRateLimit { get; set; }

    /// <summary>Admin override of the seed's per-user limit (calls per minute per session); null keeps the table's value.</summary>
    public int? PerUserRateLimit { get; set; }

    /// <summary>Counted calls per calendar month (UTC); null uses the configured default (Api:DefaultMonthlyQuota).</summary>
    public long? MonthlyQuota { get; set; }

    /// <summary>The discretionary overrun: calls allowed beyond the quota before error 103. Zero by default.</summary>
    public long QuotaOverrunAllowance { get; set; }

    /// <summary>
    /// When it was deleted; null while it exists. A deleted application is kept (its usage history and audit refer to it) but
    /// hidden from every query by the model's filter, so its pages answer not found and its keys are unknown.
    /// </summary>
    public DateTime? DeletedAt { get; set; }
    public string? DeletedBy { get; set; }

    /// <summary>How usage reports name a deleted application, after its name.</summary>
    public const string DeletedSuffix = " (deleted)";

    /// <summary>
    /// Takes the application online or offline. Offline by an Admin is a suspension, with its reason; the owner cannot
    /// bring a suspended application back online (fails closed with the reason), an Admin can.
    /// </summary>
    public void SetOnline(bool isOnline, bool byAdmin, string? reason = null)
    {
        if (isOnline && SuspendedByAdmin && !byAdmin)
            throw new ValidationException(SuspensionReason is { Length: > 0 } why
                ? $"Suspended by an Admin: {why}. Only an Admin can bring it back online."
                : "Suspended by an Admin. Only an Admin can bring it back online.");
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is { Length: > SuspensionReasonMaxLength })
            throw new ValidationException($"The reason can be at most {SuspensionReasonMaxLength} characters.");
        IsOnline = isOnline;
        SuspendedByAdmin = !isOnline && byAdmin;
        SuspensionReason = SuspendedByAdmin ? reason : null;
    }

    /// <summary>The status as the audit log and the owner read it: online, offline, or suspended by an Admin.</summary>
    public string StatusText => IsOnline ? "online" : SuspendedByAdmin ? "suspended by an Admin" : "offline";
}
