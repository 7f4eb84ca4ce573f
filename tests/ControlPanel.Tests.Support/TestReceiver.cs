using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Tests;

/// <summary>A real HTTP receiver: Kestrel on 127.0.0.1 and a free port, answering as the test says.</summary>
public sealed class TestReceiver : IAsyncDisposable
{
    public sealed record Request(string Id, long Timestamp, string Signature, string Event, int Attempt, byte[] Body);

    private readonly WebApplication _app;
    private int _count;

    private TestReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>How to answer the n-th request (1-based). Default: 200 "ok".</summary>
    public Func<int, HttpContext, Task> Answer { get; set; } = (_, context) => context.Response.WriteAsync("ok");

    public string Url { get; private set; } = "";

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers;
            receiver.Requests.Enqueue(new Request(headers["Webhook-Id"].ToString(), long.Parse(headers["Webhook-Timestamp"].ToString()),
                headers["Webhook-Signature"].ToString(), headers["Webhook-Event"].ToString(), int.Parse(headers["Webhook-Attempt"].ToString()), body.ToArray()));
            await receiver.Answer(Interlocked.Increment(ref receiver._count), context);
        });
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("No server.");
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>A loopback URL nothing listens on: connections are refused.</summary>
    public static string Unreachable()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hook";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
