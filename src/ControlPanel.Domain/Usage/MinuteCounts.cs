using System.Collections.Concurrent;

namespace ControlPanel.Domain.Usage;

/// <summary>
/// Counts per key (a key names its UTC minute) gathered in memory by a meter that writes them in batches: adding to a
/// key whose counter exists allocates nothing, <see cref="Take"/> hands over what was gathered since the last take, and
/// <see cref="Restore"/> puts a batch back when writing it failed, so nothing is lost or counted twice.
/// </summary>
public sealed class MinuteCounts<TKey>(Func<TKey, long> minuteTicksOf) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Counter> _counters = new();

    public void Add(TKey key, long calls) => Interlocked.Add(ref _counters.GetOrAdd(key, static _ => new Counter()).Calls, calls);

    /// <summary>Counts gathered and not yet taken, per key (for tests and diagnostics).</summary>
    public IReadOnlyDictionary<TKey, long> Pending() =>
        _counters.Where(c => Volatile.Read(ref c.Value.Calls) != 0).ToDictionary(c => c.Key, c => Volatile.Read(ref c.Value.Calls));

    /// <summary>
    /// Every non-zero count since the last take (negative after a reclassification whose call was taken already), leaving
    /// zero behind; counters of minutes long past are dropped (a call still recording into one is practically impossible).
    /// </summary>
    public Batch Take(DateTime now)
    {
        var taken = new List<(TKey, Counter, long)>();
        var currentMinute = now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute);
        foreach (var (key, counter) in _counters)
        {
            var calls = Interlocked.Exchange(ref counter.Calls, 0);
            if (calls != 0) taken.Add((key, counter, calls));
            else if (minuteTicksOf(key) < currentMinute - TimeSpan.TicksPerMinute) _counters.TryRemove(new KeyValuePair<TKey, Counter>(key, counter));
        }
        return new Batch(taken);
    }

    /// <summary>Puts back a batch that could not be written, for the next take.</summary>
    public void Restore(Batch batch)
    {
        foreach (var (key, counter, calls) in batch.Taken)
            Interlocked.Add(ref _counters.GetOrAdd(key, counter).Calls, calls);
    }

    /// <summary>The counts of one take.</summary>
    public sealed class Batch
    {
        internal Batch(List<(TKey, Counter, long)> taken) => Taken = taken;

        internal List<(TKey Key, Counter Counter, long Calls)> Taken { get; }

        public int Count => Taken.Count;

        public IEnumerable<(TKey Key, long Calls)> Counts => Taken.Select(t => (t.Key, t.Calls));
    }

    internal sealed class Counter
    {
        public long Calls;
    }
}
