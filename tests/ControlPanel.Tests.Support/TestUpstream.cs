using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Tests;

/// <summary>
/// The platform's API as gateway tests see it: Kestrel on 127.0.0.1 that records what reaches it and answers
/// "upstream ok" (with X-Upstream naming it), plus /health, a streamed /upload, a WebSocket echo at /ws,
/// server-sent events at /sse and /slow, which does not answer for 30 seconds.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    public sealed record Seen(string Method, string Path, IReadOnlyDictionary<string, string> Headers);

    private readonly WebApplication _app;

    private TestUpstream(WebApplication app, string name, int port) => (_app, Name, Port) = (app, name, port);

    public string Name { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>Requests that reached it, /health aside.</summary>
    public ConcurrentQueue<Seen> Requests { get; } = new();

    /// <summary>What /health answers: 200 while true, 503 once false.</summary>
    public bool Healthy { get; set; } = true;

    /// <summary>Set when an upload's first bytes arrive, before the rest has been sent.</summary>
    public TaskCompletionSource UploadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestUpstream> StartAsync(string name = "upstream")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = AppProcess.FreePort();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var upstream = new TestUpstream(app, name, port);
        app.UseWebSockets();
        app.Run(upstream.AnswerAsync);
        await app.StartAsync();
        return upstream;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        context.Response.Headers["X-Upstream"] = Name;
        if (request.Path == "/health")
        {
            context.Response.StatusCode = Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return;
        }
        Requests.Enqueue(new Seen(request.Method, request.Path + request.QueryString,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        switch (request.Path.Value)
        {
            case "/ws" when context.WebSockets.IsWebSocketRequest:
                using (var socket = await context.WebSockets.AcceptWebSocketAsync())
                {
                    var buffer = new byte[4096];
                    while (true)
                    {
                        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                        if (received.MessageType == WebSocketMessageType.Close)
                        {
                            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                            return;
                        }
                        await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
                    }
                }
            case "/sse":
                context.Response.ContentType = "text/event-stream";
                for (var i = 1; i <= 3; i++)
                {
                    await context.Response.WriteAsync($"data: event {i}\n\n");
                    await context.Response.Body.FlushAsync();
                }
                return;
            case "/slow":
                // Longer than a gateway test's timeout: the answer never comes in time.
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { });
                return;
            case "/upload":
                var chunk = new byte[64 * 1024];
                long total = 0;
                int read;
                while ((read = await request.Body.ReadAsync(chunk)) > 0)
                {
                    total += read;
                    UploadStarted.TrySetResult();
                }
                await context.Response.WriteAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return;
            default:
                await context.Response.WriteAsync("upstream ok");
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
