using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Quotas;

public enum QuotaNotificationKind
{
    /// <summary>Counted calls reached <see cref="QuotaNotification.Percent"/> of the monthly quota.</summary>
    Threshold,
    /// <summary>The quota is used up and calls now run on the overrun allowance.</summary>
    Overrun,
}

/// <summary>
/// "Should your application approach your usage quota, you will be notified in good time":
/// one row per threshold crossed, at most once per threshold per application per month.
/// </summary>
public class QuotaNotification : IAccountOwned
{
    public long Id { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid AccountId { get; set; }
    /// <summary>The first instant of the calendar month (UTC) the notification is about.</summary>
    public DateTime Month { get; set; }
    public QuotaNotificationKind Kind { get; set; }
    /// <summary>The threshold in percent of the quota; 100 for an overrun.</summary>
    public int Percent { get; set; }
    public DateTime At { get; set; }
    /// <summary>Counted calls this month when the threshold was crossed.</summary>
    public long Used { get; set; }
    public long Quota { get; set; }
}
