namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Each endpoint's deliveries per second, over a sliding second: an endpoint may start as many as its rate less those it
/// started in the last second, so no second ever holds more than the rate. Kept in memory: each instance throttles its own starts.
/// </summary>
public sealed class WebhookThrottle(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly Dictionary<Guid, Queue<long>> _starts = [];
    private readonly Lock _lock = new();

    /// <summary>How many more deliveries the endpoint may start now at <paramref name="perSecond"/>.</summary>
    public int Allowance(Guid endpointId, int perSecond)
    {
        lock (_lock)
        {
            if (!_starts.TryGetValue(endpointId, out var starts)) return perSecond;
            while (starts.Count > 0 && clock.GetElapsedTime(starts.Peek()) >= Window) starts.Dequeue();
            if (starts.Count == 0) _starts.Remove(endpointId);
            return Math.Max(0, perSecond - starts.Count);
        }
    }

    public void Started(Guid endpointId)
    {
        lock (_lock)
        {
            if (!_starts.TryGetValue(endpointId, out var starts)) _starts[endpointId] = starts = new Queue<long>();
            starts.Enqueue(clock.GetTimestamp());
        }
    }
}
