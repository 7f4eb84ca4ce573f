using ControlPanel.Web.Background;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Shared;

/// <summary>
/// A page's live refresh: runs <see cref="Tick"/> on the page's dispatcher every <see cref="Every"/> on the app's clock
/// while the component holding it is on screen in an interactive circuit (never while prerendering), and stops when it
/// goes. A failed tick is logged and tried again on the next, so one bad moment does not stop a live page for good.
/// Renders nothing; the tick calls StateHasChanged itself when it changed something.
/// </summary>
public sealed class RefreshTimer : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private bool started;

    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<RefreshTimer> Logger { get; set; } = default!;

    /// <summary>How often to tick; read once, when the timer starts.</summary>
    [Parameter, EditorRequired] public TimeSpan Every { get; set; }

    /// <summary>What to do on each tick (the latest one given is called).</summary>
    [Parameter, EditorRequired] public Func<Task> Tick { get; set; } = () => Task.CompletedTask;

    protected override void OnAfterRender(bool firstRender)
    {
        if (started || !RendererInfo.IsInteractive) return;
        started = true;
        _ = PeriodicWork.RunAsync(Clock, Every, _ => InvokeAsync(() => Tick()),
            error => Logger.LogWarning(error, "A live refresh failed; trying again on the next tick."), stopping.Token);
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }
}
