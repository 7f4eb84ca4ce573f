using ControlPanel.Tests;

namespace ControlPanel.Browser.Tests;

/// <summary>
/// The real app as a separate process (<see cref="AppProcess"/>) with a fresh SQLite database in a
/// temporary folder and, unless told otherwise, a configured first Admin. Stopped and cleaned up on dispose.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    public const string AdminEmail = "admin@controlpanel.test";
    public const string AdminPassword = "Admin-password-1";

    private readonly AppProcess _app;
    private readonly List<Func<Task>> _cleanups = [];

    public Uri BaseAddress => _app.BaseAddress;
    public string Output => _app.Output;
    public string DataFolder { get; }

    private AppHost(AppProcess app, string dataFolder)
    {
        _app = app;
        DataFolder = dataFolder;
    }

    /// <param name="withConfiguredAdmin">False leaves the first Admin to the setup token.</param>
    /// <param name="settings">Overrides, including the database's (the instances tests use PostgreSQL).</param>
    public static async Task<AppHost> StartAsync(bool withConfiguredAdmin = true, IDictionary<string, string>? settings = null, string? dataFolder = null)
    {
        dataFolder ??= Directory.CreateTempSubdirectory("cp-browser-").FullName;
        var all = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "controlpanel.db")}",
            ["Bootstrap:AdminEmail"] = withConfiguredAdmin ? AdminEmail : "",
            ["Bootstrap:AdminPassword"] = withConfiguredAdmin ? AdminPassword : "",
            // Every test signs in from loopback; the per-address throttle has its own tests (SignInThrottleTests).
            ["AccountSecurity:SignInPostsPerAddress"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        return new AppHost(await AppProcess.StartAsync(all), dataFolder);
    }

    /// <summary>Stops the process, keeping the data folder (for restart tests).</summary>
    public Task StopAsync() => _app.KillAsync();

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
        await _app.DisposeAsync();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}
