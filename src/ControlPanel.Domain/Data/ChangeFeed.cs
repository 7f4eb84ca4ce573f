namespace ControlPanel.Domain.Data;

/// <summary>
/// The one change notification: services publish after saving a change that the request check
/// must see, and the in-memory indexes reload. Publishing waits for the reloads, so a change is in
/// force on this instance by the time the UI says it is done.
/// </summary>
public sealed class ChangeFeed
{
    private readonly Lock _gate = new();
    private Func<CancellationToken, Task>[] _subscribers = [];

    public void Subscribe(Func<CancellationToken, Task> onChanged)
    {
        lock (_gate) _subscribers = [.. _subscribers, onChanged];
    }

    public async Task PublishAsync(CancellationToken cancellationToken = default)
    {
        foreach (var subscriber in _subscribers)
            await subscriber(cancellationToken);
    }
}
