using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ControlPanel.Browser.Tests;

/// <summary>
/// The real app as a separate process on a free loopback port, with a fresh SQLite database in a
/// temporary folder. Stopped and cleaned up on dispose.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    public const string AdminEmail = "admin@controlpanel.test";
    public const string AdminPassword = "Admin-password-1";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataFolder;

    public Uri BaseAddress { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    private AppHost(Process process, Uri baseAddress, string dataFolder)
    {
        _process = process;
        BaseAddress = baseAddress;
        _dataFolder = dataFolder;
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <param name="withConfiguredAdmin">False leaves the first Admin to the setup token.</param>
    public static async Task<AppHost> StartAsync(bool withConfiguredAdmin = true, IDictionary<string, string>? settings = null, string? dataFolder = null)
    {
        dataFolder ??= Directory.CreateTempSubdirectory("cp-browser-").FullName;
        var port = FreePort();
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!); // bin/<Configuration>/net10.0
        var dll = Path.Combine(RepositoryRoot, "src", "ControlPanel.Web", "bin", configuration, "net10.0", "ControlPanel.Web.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution first.", dll);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "controlpanel.db")}";
        start.Environment["Bootstrap__AdminEmail"] = withConfiguredAdmin ? AdminEmail : "";
        start.Environment["Bootstrap__AdminPassword"] = withConfiguredAdmin ? AdminPassword : "";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key.Replace(":", "__")] = value;

        var process = Process.Start(start)!;
        var host = new AppHost(process, new Uri($"http://127.0.0.1:{port}/"), dataFolder);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitUntilHealthyAsync();
        return host;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The app did not become healthy:\n{Output}");
    }

    /// <summary>Stops the process, keeping the data folder (for restart tests).</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public string DataFolder => _dataFolder;

    private readonly List<Func<Task>> _cleanups = [];

    /// <summary>Work to do before the app stops, such as closing the browser contexts that used it.</summary>
    public void OnDispose(Func<Task> cleanup)
    {
        lock (_cleanups) _cleanups.Add(cleanup);
    }

    public async ValueTask DisposeAsync()
    {
        Func<Task>[] cleanups;
        lock (_cleanups) cleanups = [.. _cleanups];
        foreach (var cleanup in cleanups) await cleanup();
        await StopAsync();
        _process.Dispose();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "ControlPanel.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException("ControlPanel.sln not found above the test binaries.");
    }
}
