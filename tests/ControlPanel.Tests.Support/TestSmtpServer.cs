using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ControlPanel.Tests;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port, in the test process: it keeps every mail it is
/// given. It can be stopped and started again on the same port, to play a mail server that is down for a while.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly List<MimeMessage> _messages = [];
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;

    public int Port { get; }

    public TestSmtpServer(int? port = null) => Port = port ?? FreePort();

    public static async Task<TestSmtpServer> StartNewAsync()
    {
        var server = new TestSmtpServer();
        await server.StartAsync();
        return server;
    }

    /// <summary>The settings that point the app at this server (plain SMTP on loopback).</summary>
    public IReadOnlyDictionary<string, string> AppSettings(string publicBaseUrl) => new Dictionary<string, string>
    {
        ["Email:Host"] = "127.0.0.1",
        ["Email:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:TlsMode"] = "None",
        ["Email:FromAddress"] = "ControlPanel <panel@controlpanel.test>",
        ["Email:PublicBaseUrl"] = publicBaseUrl,
        ["Email:PollInterval"] = "00:00:00.200",
    };

    /// <summary>Email options that send to this server, for the services the domain tests build by hand.</summary>
    public ControlPanel.Domain.Email.EmailOptions Options() => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        TlsMode = ControlPanel.Domain.Email.SmtpTlsMode.None,
        FromAddress = "ControlPanel <panel@controlpanel.test>",
        PublicBaseUrl = "https://panel.controlpanel.test/",
    };

    public IReadOnlyList<MimeMessage> Messages
    {
        get { lock (_messages) return [.. _messages]; }
    }

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _ = _server.StartAsync(_stop.Token);
        // Listening once a connection is accepted.
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, $"the test SMTP server listening on {Port}", TimeSpan.FromSeconds(10));
    }

    public async Task StopAsync()
    {
        if (_server is null) return;
        _stop!.Cancel();
        try { await _server.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { }
        _server = null;
    }

    /// <summary>The first mail to <paramref name="to"/> matching <paramref name="match"/>, waiting for it to arrive.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, Func<MimeMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        MimeMessage? found = null;
        await Eventually.TrueAsync(
            () => Task.FromResult((found = Messages.FirstOrDefault(m => m.To.Mailboxes.Any(b => b.Address.Equals(to, StringComparison.OrdinalIgnoreCase)) && (match?.Invoke(m) ?? true))) is not null),
            () => $"a mail to {to}; received: {string.Join(", ", Messages.Select(m => $"{m.To} \"{m.Subject}\""))}", timeout);
        return found!;
    }

    /// <summary>The one link in a mail's text body that starts with <paramref name="baseUrl"/>.</summary>
    public static Uri LinkIn(MimeMessage message, string pathStart) =>
        new(message.TextBody!.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http", StringComparison.Ordinal) && l.Contains(pathStart, StringComparison.Ordinal)));

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            lock (server._messages) server._messages.Add(message);
            return SmtpResponse.Ok;
        }
    }
}
