namespace ControlPanel.Tests;

/// <summary>The repository the tests run from: its root (where ControlPanel.sln is) and the files under it.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>A path under the root, from its parts (<c>Repository.Path("docs", "webhooks.md")</c>).</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "ControlPanel.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException("ControlPanel.sln not found above the test binaries.");
    }
}
