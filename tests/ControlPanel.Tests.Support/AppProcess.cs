using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ControlPanel.Tests;

/// <summary>
/// The real app (the built ControlPanel.Web.dll) as a separate process on a free loopback port,
/// configured only through environment variables. The one way the test projects start the app
/// as a process: the browser tests' AppHost and the API tests' cluster both use it.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public Uri BaseAddress { get; }
    public int Port { get; }

    /// <summary>Everything the app wrote to its console so far: for failure messages and the setup token.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>How the process ended: on Linux 128 + the signal's number when a signal ended it (137 after SIGKILL).</summary>
    public int ExitCode => _process.ExitCode;

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Replaced in setting values by the app's base address.</summary>
    public const string BaseAddressPlaceholder = "{BaseAddress}";


    /// <summary>Starts the app and waits until /health answers.</summary>
    /// <param name="settings">Configuration keys ("Section:Key") and values; every other option keeps the root appsettings.json's value.</param>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!); // bin/<Configuration>/net10.0
        var dll = Repository.Path("src", "ControlPanel.Web", "bin", configuration, "net10.0", "ControlPanel.Web.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution first.", dll);

        var start = new ProcessStartInfo("dotnet")
        {
            // The root appsettings.json is read from here, as under `dotnet run`.
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // A value may name the app's own address (not known before the port is chosen), such as Email:PublicBaseUrl.
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value.Replace(BaseAddressPlaceholder, $"http://127.0.0.1:{port}/");

        var process = Process.Start(start)!;
        var app = new AppProcess(process, port);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilHealthyAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                return (await http.GetAsync("health")).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, () => $"the app healthy:\n{Output}", TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Kills the process and its children at once (SIGKILL on Linux), as a crash would: nothing is flushed or handed back.
    /// </summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Stops the app the same way: what it leaves behind is the test's to throw away.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>
    /// A loopback port nothing listens on, below the ephemeral range: a free port from that range may
    /// be taken by one of the many outgoing connections (to the database, to receivers) before the app
    /// binds it.
    /// </summary>
    public static int FreePort()
    {
        var ephemeralStart = EphemeralPortsStart();
        var below = ephemeralStart > 20100 ? ephemeralStart : 60000;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20000, below);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("No free loopback port below the ephemeral range.");
    }

    private static int EphemeralPortsStart()
    {
        try
        {
            // Linux only: the first and last port, e.g. "32768\t60999".
            return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32768;
        }
    }
}
