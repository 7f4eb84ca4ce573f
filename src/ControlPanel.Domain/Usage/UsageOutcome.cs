using ControlPanel.Domain.Errors;

namespace ControlPanel.Domain.Usage;

/// <summary>The outcomes usage reports break calls down into: the ones owners act on, and the rest.</summary>
public enum UsageOutcome
{
    Allowed,
    RateLimited,
    OverQuota,
    BadOrigin,
    BadKeys,
    Other,
}

public static class UsageOutcomes
{
    public static readonly IReadOnlyList<UsageOutcome> All = Enum.GetValues<UsageOutcome>();

    /// <summary>The outcome a stored decision (0 or an error code) belongs to.</summary>
    public static UsageOutcome Of(int outcome) => outcome switch
    {
        0 => UsageOutcome.Allowed,
        158 => UsageOutcome.RateLimited,
        103 => UsageOutcome.OverQuota,
        111 => UsageOutcome.BadOrigin,
        204 => UsageOutcome.BadKeys,
        _ => UsageOutcome.Other,
    };

    /// <summary>The stored code of an outcome that has exactly one (not <see cref="UsageOutcome.Other"/>).</summary>
    public static int CodeOf(UsageOutcome outcome) => outcome switch
    {
        UsageOutcome.Allowed => 0,
        UsageOutcome.RateLimited => ErrorCatalogue.RateLimitExceeded.Code,
        UsageOutcome.OverQuota => ErrorCatalogue.QuotaExceeded.Code,
        UsageOutcome.BadOrigin => ErrorCatalogue.BadOriginIp.Code,
        UsageOutcome.BadKeys => ErrorCatalogue.NotAuthorised.Code,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), "Other stands for every remaining code."),
    };

    /// <summary>The label used in legends, table headers and the CSV file.</summary>
    public static string Label(this UsageOutcome outcome) => outcome switch
    {
        UsageOutcome.Allowed => "Allowed",
        UsageOutcome.RateLimited => $"{ErrorCatalogue.RateLimitExceeded.Code} rate limited",
        UsageOutcome.OverQuota => $"{ErrorCatalogue.QuotaExceeded.Code} over quota",
        UsageOutcome.BadOrigin => $"{ErrorCatalogue.BadOriginIp.Code} bad origin",
        UsageOutcome.BadKeys => $"{ErrorCatalogue.NotAuthorised.Code} bad keys",
        _ => "Other errors",
    };
}
