namespace ControlPanel.Domain.Quotas;

/// <summary>An application's monthly quota as of one call.</summary>
/// <param name="Quota">Counted calls included per calendar month (UTC).</param>
/// <param name="OverrunAllowance">Calls allowed beyond the quota before error 103.</param>
/// <param name="Used">Counted calls so far this month, including this one when it was counted.</param>
/// <param name="ResetsAt">The first instant of next month, UTC.</param>
public readonly record struct QuotaState(long Quota, long OverrunAllowance, long Used, DateTime ResetsAt)
{
    /// <summary>Calls left before the quota is used up; the allowance is not included.</summary>
    public long Remaining => Math.Max(0, Quota - Used);

    public bool InOverrun => Used > Quota;

    /// <summary>
    /// Where the month stands now: calls are refused with 103 once quota and allowance are both used
    /// (the ledger allows at most quota + allowance), and live on the allowance once the quota is used.
    /// </summary>
    public QuotaStanding Standing =>
        Used >= Quota + OverrunAllowance ? QuotaStanding.Refusing
        : Used >= Quota ? QuotaStanding.InOverrun
        : QuotaStanding.WithinQuota;

    public static DateTime MonthStart(DateTime utc) => new(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
}

public enum QuotaStanding
{
    /// <summary>Calls are within the monthly quota.</summary>
    WithinQuota,
    /// <summary>The quota is used up; calls run on the overrun allowance.</summary>
    InOverrun,
    /// <summary>Quota and allowance are used up: calls are refused with 103 until the month ends (or the quota is raised).</summary>
    Refusing,
}
