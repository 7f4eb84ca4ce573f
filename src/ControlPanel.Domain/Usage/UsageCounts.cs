namespace ControlPanel.Domain.Usage;

/// <summary>Calls in one minute or one day (or a whole range), by outcome.</summary>
/// <param name="Start">The start of the minute or day, UTC.</param>
/// <param name="Counted">Allowed calls that count towards the monthly quota.</param>
public sealed record UsageCounts(
    DateTime Start, long Allowed, long RateLimited, long OverQuota, long BadOrigin, long BadKeys, long Other, long Counted)
{
    public long Total => Allowed + RateLimited + OverQuota + BadOrigin + BadKeys + Other;

    public long this[UsageOutcome outcome] => outcome switch
    {
        UsageOutcome.Allowed => Allowed,
        UsageOutcome.RateLimited => RateLimited,
        UsageOutcome.OverQuota => OverQuota,
        UsageOutcome.BadOrigin => BadOrigin,
        UsageOutcome.BadKeys => BadKeys,
        _ => Other,
    };

    /// <summary>Adds up stored rows (outcome code, counted, calls) into one <see cref="UsageCounts"/>.</summary>
    internal sealed class Builder(DateTime start)
    {
        private readonly long[] _calls = new long[UsageOutcomes.All.Count];
        private long _counted;

        public void Add(int outcome, bool counted, long calls)
        {
            _calls[(int)UsageOutcomes.Of(outcome)] += calls;
            if (counted && outcome == 0) _counted += calls;
        }

        public UsageCounts Build() => new(start, _calls[0], _calls[1], _calls[2], _calls[3], _calls[4], _calls[5], _counted);
    }
}
