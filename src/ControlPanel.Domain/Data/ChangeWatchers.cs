namespace ControlPanel.Domain.Data;

/// <summary>
/// Open pages (circuits) told of a change this instance applied from the <see cref="ChangeFeed"/>, until they stop watching.
/// One watcher that fails (its connection gone) keeps neither the others nor the feed from going on.
/// </summary>
public sealed class ChangeWatchers<T>
{
    private readonly Lock _gate = new();
    private readonly List<Func<T, Task>> _watchers = [];

    /// <summary>Calls <paramref name="changed"/> with every change until the result is disposed.</summary>
    public IDisposable Watch(Func<T, Task> changed)
    {
        lock (_gate) _watchers.Add(changed);
        return new Unwatch(this, changed);
    }

    public async Task NotifyAsync(T change)
    {
        Func<T, Task>[] watchers;
        lock (_gate) watchers = [.. _watchers];
        foreach (var watcher in watchers)
        {
            try { await watcher(change); }
            catch (Exception e) when (e is not OperationCanceledException) { }
        }
    }

    private sealed class Unwatch(ChangeWatchers<T> watchers, Func<T, Task> changed) : IDisposable
    {
        public void Dispose()
        {
            lock (watchers._gate) watchers._watchers.Remove(changed);
        }
    }
}
