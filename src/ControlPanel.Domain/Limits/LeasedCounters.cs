using System.Collections.Concurrent;
using ControlPanel.Domain.Monitoring;

namespace ControlPanel.Domain.Limits;

/// <summary>
/// Counts calls against limits per period (a rate-limit window, a quota month) without a store
/// round trip per call: each instance leases a block of the period's calls from the
/// <see cref="CounterStore"/> and hands them out from memory. Blocks are an eighth of what is left
/// (at most <see cref="MaxBlock"/>), so the last calls of a limit are leased one by one. A busy key
/// far from its limit leases its next block while a quarter of the current one is left, so its
/// calls do not wait for the store.
/// </summary>
/// <remarks>
/// The trade-off: no more than the limit is ever allowed over all instances, since every call comes
/// out of a block the store handed out once. A block an instance leased but did not use before its
/// client moved to another instance is given back when the instance stops or the block has been
/// idle for <see cref="IdleReturn"/> (the others find it within <see cref="ExhaustedRecheck"/>);
/// until then they may refuse slightly before the limit. A crashed instance's blocks (the current
/// one and the one leased ahead) are lost for the rest of their period. Within one instance, counting is exact.
/// </remarks>
public sealed class LeasedCounters(CounterStore store, TimeProvider clock)
{
    /// <summary>A leased block unused this long is given back, for the instances the client moved to.</summary>
    public static readonly TimeSpan IdleReturn = TimeSpan.FromSeconds(5);

    /// <summary>An instance that found a limit used up asks the store again this often, so blocks given back are found.</summary>
    public static readonly TimeSpan ExhaustedRecheck = TimeSpan.FromSeconds(1);

    private const int BlockDivisor = 8;

    /// <summary>
    /// The largest block: it bounds what a crashed instance takes with it and how far another
    /// instance's view of usage can run ahead, at one store round trip per this many calls.
    /// </summary>
    public const long MaxBlock = 1000;

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>The result of counting one call.</summary>
    /// <param name="Allowed">False when the limit is used up; the call was not counted then.</param>
    /// <param name="Used">Calls counted in the period, including this one when allowed (as far as this instance knows).</param>
    /// <param name="PeriodEnd">The end of the period counted in: a later one than asked when another caller has started it already.</param>
    public readonly record struct Count(bool Allowed, long Used, DateTime PeriodEnd);

    /// <summary>How many keys have a slot here (current or stale).</summary>
    public int SlotCount => _slots.Count;

    /// <summary>Counts one call against <paramref name="key"/>'s <paramref name="period"/>, which ends at <paramref name="periodEnd"/>.</summary>
    public ValueTask<Count> TryCountAsync(string key, DateTime period, DateTime periodEnd, long limit)
    {
        var slot = SlotFor(key, period, periodEnd);
        Count count;
        TaskCompletionSource? leaseAhead = null;
        lock (slot)
        {
            if (!TryTakeLeased(slot, limit, out count)) return RefillAndCountAsync(slot, limit);
            if (ShouldLeaseAhead(slot, limit))
            {
                leaseAhead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                slot.Refill = leaseAhead.Task;
            }
        }
        if (leaseAhead is not null) _ = LeaseAheadAsync(slot, leaseAhead);
        return ValueTask.FromResult(count);
    }

    /// <summary>
    /// Takes back one call counted in <paramref name="period"/> (a call that never reached what it paid for): the store's
    /// total goes down by one, so any instance may count it again. Not on the check's path: only after a failure.
    /// </summary>
    public async Task RefundAsync(string key, DateTime period, DateTime periodEnd, CancellationToken cancellationToken = default)
    {
        if (_slots.TryGetValue(key, out var slot) && slot.Period == period)
        {
            lock (slot)
            {
                slot.Known--;
                slot.Used = Math.Max(0, slot.Used - 1);
            }
        }
        await store.AddAsync(key, period, -1, periodEnd, cancellationToken);
    }

    /// <summary>Calls counted in the period so far, as far as this instance knows, without counting one.</summary>
    public long Peek(string key, DateTime period)
    {
        if (!_slots.TryGetValue(key, out var slot) || slot.Period != period) return 0;
        lock (slot) return slot.Used;
    }

    /// <summary>
    /// True when the next count in the period would be refused as far as this instance knows: it holds no leased calls
    /// and the store had none left at its last lease (or it handed out the whole limit itself). Without counting.
    /// </summary>
    public bool IsUsedUp(string key, DateTime period, long limit)
    {
        if (!_slots.TryGetValue(key, out var slot) || slot.Period != period) return false;
        lock (slot)
        {
            // Leased call numbers at or past the limit are not calls anyone may make.
            var usable = Math.Max(0, Math.Min(slot.End, limit) - slot.Next) + Math.Max(0, Math.Min(slot.AheadEnd, limit) - slot.AheadNext);
            return slot.Used >= limit || (slot.Known >= limit && usable == 0);
        }
    }

    /// <summary>
    /// Calls counted in the period over all instances, for pages that show usage rather than for the
    /// request check: the store's total less this instance's unused blocks (other instances' unused
    /// blocks count as used, at most two of <see cref="MaxBlock"/> each).
    /// </summary>
    public async Task<long> ReadAsync(string key, DateTime period, DateTime periodEnd, CancellationToken cancellationToken = default)
    {
        var total = await store.AddAsync(key, period, 0, periodEnd, cancellationToken);
        if (!_slots.TryGetValue(key, out var slot) || slot.Period != period) return total;
        lock (slot) return Math.Max(slot.Used, total - slot.Unused);
    }

    /// <summary>Starts a period at <paramref name="used"/> calls unless the store has a total for it already (usage from before a restart).</summary>
    public async Task SeedAsync(string key, DateTime period, DateTime periodEnd, long used, CancellationToken cancellationToken = default)
    {
        await store.SeedAsync(key, period, used, periodEnd, cancellationToken);
        var slot = SlotFor(key, period, periodEnd);
        lock (slot)
        {
            slot.Known = Math.Max(slot.Known, used);
            slot.Used = Math.Max(slot.Used, used);
        }
    }

    /// <summary>Gives back the unused part of blocks idle for <see cref="IdleReturn"/> (or all of them), and forgets ended periods.</summary>
    public async Task ReturnUnusedAsync(bool all = false, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (key, slot) in _slots)
        {
            long unused;
            lock (slot)
            {
                if (slot.PeriodEnd <= now)
                {
                    _slots.TryRemove(new KeyValuePair<string, Slot>(key, slot));
                    continue;
                }
                if (slot.Refill is { IsCompleted: false } || (!all && now - slot.LastCountAt < IdleReturn)) continue;
                unused = slot.Unused;
                if (unused <= 0) continue;
                slot.Known -= unused;
                slot.End = slot.Next;
                slot.AheadNext = slot.AheadEnd = 0;
            }
            await store.AddAsync(key, slot.Period, -unused, slot.PeriodEnd, cancellationToken);
        }
    }

    private bool TryTakeLeased(Slot slot, long limit, out Count count)
    {
        if (slot.Next >= slot.End && slot.AheadNext < slot.AheadEnd)
        {
            (slot.Next, slot.End) = (slot.AheadNext, slot.AheadEnd);
            slot.AheadNext = slot.AheadEnd = 0;
        }
        if (slot.Next < slot.End && slot.Next < limit)
        {
            slot.Next++;
            slot.Used = Math.Max(slot.Used, slot.Next);
            slot.LastCountAt = clock.GetUtcNow().UtcDateTime;
            count = new Count(true, slot.Next, slot.PeriodEnd);
            return true;
        }
        if (slot.Known >= limit && clock.GetUtcNow().UtcDateTime - slot.CheckedAt < ExhaustedRecheck)
        {
            count = new Count(false, Math.Max(slot.Used, Math.Min(slot.Known, limit)), slot.PeriodEnd);
            return true;
        }
        count = default;
        return false;
    }

    private async ValueTask<Count> RefillAndCountAsync(Slot slot, long limit)
    {
        while (true)
        {
            Task refill;
            lock (slot)
            {
                if (TryTakeLeased(slot, limit, out var count)) return count;
                // One lease at a time per key: callers arriving meanwhile wait for it.
                if (slot.Refill is null || slot.Refill.IsCompleted)
                    slot.Refill = slot.Known >= limit ? RecheckAsync(slot) : LeaseAsync(slot, Math.Clamp((limit - slot.Known) / BlockDivisor, 1, MaxBlock), ahead: false);
                refill = slot.Refill;
            }
            // Then counted from the new block, or refused until the next recheck when the store had nothing left.
            await refill;
        }
    }

    /// <summary>Leases <paramref name="want"/> calls as the current block, or as the next one when leased <paramref name="ahead"/>.</summary>
    private async Task LeaseAsync(Slot slot, long want, bool ahead)
    {
        var total = await AddTimedAsync(slot, want);
        lock (slot)
        {
            // The store's total went from total - want to total: that range is this instance's alone.
            slot.Known = total;
            slot.CheckedAt = clock.GetUtcNow().UtcDateTime;
            if (ahead) (slot.AheadNext, slot.AheadEnd) = (total - want, total);
            else (slot.Next, slot.End) = (total - want, total);
        }
    }

    /// <summary>
    /// Only full blocks are leased ahead: near the limit, calls held by one instance are calls the
    /// others cannot have, so there blocks are leased only when needed.
    /// </summary>
    private static bool ShouldLeaseAhead(Slot slot, long limit) =>
        slot.End - slot.Next <= MaxBlock / 4
        && slot.AheadNext == slot.AheadEnd
        && slot.Refill is not { IsCompleted: false }
        && (limit - slot.Known) / BlockDivisor >= MaxBlock;

    private async Task LeaseAheadAsync(Slot slot, TaskCompletionSource done)
    {
        try
        {
            await LeaseAsync(slot, MaxBlock, ahead: true);
        }
        catch (Exception)
        {
            // Not an error yet: when the block runs out, the regular refill asks the store again and reports a failure.
        }
        finally
        {
            done.SetResult();
        }
    }

    /// <summary>Reads the store's total without taking anything: other instances may have given blocks back.</summary>
    private async Task RecheckAsync(Slot slot)
    {
        var total = await AddTimedAsync(slot, 0);
        lock (slot)
        {
            slot.Known = total;
            slot.CheckedAt = clock.GetUtcNow().UtcDateTime;
        }
    }

    /// <summary>The round trip a caller of the check may wait for, measured for operators.</summary>
    private async Task<long> AddTimedAsync(Slot slot, long amount)
    {
        var started = clock.GetTimestamp();
        var total = await store.AddAsync(slot.Key, slot.Period, amount, slot.PeriodEnd);
        ControlPanelMetrics.RecordLease(clock.GetElapsedTime(started));
        return total;
    }

    private Slot SlotFor(string key, DateTime period, DateTime periodEnd)
    {
        while (true)
        {
            var slot = _slots.GetOrAdd(key, static (k, p) => new Slot(k, p.period, p.periodEnd), (period, periodEnd));
            if (slot.Period >= period) return slot;
            // A new period starts from nothing; only one caller's replacement wins.
            _slots.TryUpdate(key, new Slot(key, period, periodEnd), slot);
        }
    }

    private sealed class Slot(string key, DateTime period, DateTime periodEnd)
    {
        public readonly string Key = key;
        public readonly DateTime Period = period;
        public readonly DateTime PeriodEnd = periodEnd;
        /// <summary>The leased block: call numbers Next..End-1 of the period are this instance's to hand out.</summary>
        public long Next, End;
        /// <summary>The next block, leased ahead while the current one runs low.</summary>
        public long AheadNext, AheadEnd;
        /// <summary>Calls leased here and not handed out yet.</summary>
        public long Unused => Math.Max(0, End - Next) + (AheadEnd - AheadNext);
        /// <summary>The store's total as of this instance's last lease.</summary>
        public long Known;
        /// <summary>The highest call number this instance handed out, plus one.</summary>
        public long Used;
        public DateTime LastCountAt;
        /// <summary>When <see cref="Known"/> was last read from the store.</summary>
        public DateTime CheckedAt;
        public Task? Refill;
    }
}
