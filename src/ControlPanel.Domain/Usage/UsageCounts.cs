namespace ControlPanel.Domain.Usage;

/// <summary>Calls in one minute or one day (or a whole range), by outcome.</summary>
public sealed class UsageCounts
{
    private readonly long[] _calls;

    /// <param name="start">The start of the minute or day, UTC.</param>
    /// <param name="calls">Calls per outcome, in the order of <see cref="UsageOutcomes.All"/>.</param>
    /// <param name="counted">Allowed calls that count towards the monthly quota.</param>
    public UsageCounts(DateTime start, IReadOnlyList<long> calls, long counted)
    {
        if (calls.Count != UsageOutcomes.All.Count)
            throw new ArgumentException($"Usage counts need one number per outcome ({UsageOutcomes.All.Count}), not {calls.Count}.", nameof(calls));
        Start = start;
        _calls = [.. calls];
        Counted = counted;
        Total = _calls.Sum();
    }

    /// <summary>The start of the minute or day, UTC.</summary>
    public DateTime Start { get; }

    /// <summary>Allowed calls that count towards the monthly quota.</summary>
    public long Counted { get; }

    public long Total { get; }

    public long this[UsageOutcome outcome] => _calls[(int)outcome];

    /// <summary>Adds up stored rows (outcome code, counted, calls) into one <see cref="UsageCounts"/>.</summary>
    internal sealed class Builder(DateTime start)
    {
        private readonly long[] _calls = new long[UsageOutcomes.All.Count];
        private long _counted;

        public void Add(int outcome, bool counted, long calls)
        {
            var kind = UsageOutcomes.Of(outcome);
            _calls[(int)kind] += calls;
            if (counted && kind == UsageOutcome.Allowed) _counted += calls;
        }

        public UsageCounts Build() => new(start, _calls, _counted);
    }
}
