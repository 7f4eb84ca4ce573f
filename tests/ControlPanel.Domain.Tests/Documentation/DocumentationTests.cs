using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Tests;

namespace ControlPanel.Domain.Tests.Documentation;

/// <summary>
/// The README and docs/ hold together: every relative link and anchor resolves, and the configuration they name is the
/// configuration appsettings.json ships (every setting named exists, and every setting there is documented).
/// </summary>
public sealed partial class DocumentationTests
{
    /// <summary>Sections the docs name that are not ours: YARP's own configuration, and EF Core annotations.</summary>
    private static readonly string[] ForeignSections = ["ReverseProxy", "HttpRequest", "Sqlite", "Npgsql"];

    [Fact]
    public void Every_relative_link_and_anchor_resolves()
    {
        var broken = new List<string>();
        foreach (var page in Pages())
        {
            foreach (var (target, line) in Links(page))
            {
                if (SchemePattern().IsMatch(target)) continue;
                var hash = target.IndexOf('#');
                var path = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var file = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
                if (!File.Exists(file) && !Directory.Exists(file))
                    broken.Add($"{Relative(page)}:{line}: {target} (no such file)");
                else if (anchor is not null && file.EndsWith(".md", StringComparison.Ordinal) && !Anchors(file).Contains(anchor))
                    broken.Add($"{Relative(page)}:{line}: {target} (no heading with that anchor)");
            }
        }
        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void Every_setting_the_docs_name_is_in_appsettings_json()
    {
        var settings = Settings();
        var unknown = new List<string>();
        foreach (var page in Pages())
        {
            foreach (var (name, line) in NamedSettings(page))
            {
                // A bare word (`Database`) is too common to judge; a name with a ':' is a setting.
                if (!name.Contains(':') || ForeignSections.Contains(name.Split(':')[0]) || name == "Section:Key") continue;
                // A section or any setting under it counts: `Webhooks` options tables name leaves, prose may name a section's list.
                if (!settings.Any(s => s == name || s.StartsWith(name + ":", StringComparison.Ordinal)))
                    unknown.Add($"{Relative(page)}:{line}: {name}");
            }
        }
        Assert.True(unknown.Count == 0, "Settings the docs name that appsettings.json lacks:\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void Every_setting_in_appsettings_json_is_documented()
    {
        var named = Pages().SelectMany(page => NamedSettings(page).Select(n => n.Name)).ToHashSet();
        var undocumented = Settings().Where(s => !named.Contains(s)).ToList();
        Assert.True(undocumented.Count == 0, "Settings of appsettings.json no docs page names as `Section:Key`:\n" + string.Join('\n', undocumented));
    }

    [Fact]
    public void The_settings_reader_sees_through_comments_and_lists()
    {
        // What the two tests above rely on: "//" notes are not settings, lists are one setting, nesting joins with ':'.
        var settings = Settings();
        Assert.Contains("Api:TrustedProxies", settings);
        Assert.Contains("Logging:LogLevel:Microsoft.AspNetCore", settings);
        Assert.DoesNotContain(settings, s => s.Contains("//", StringComparison.Ordinal));
        Assert.DoesNotContain("Api:TrustedProxies:0", settings);
    }

    private static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(Repository.Path("docs"), "*.md").Prepend(Repository.Path("README.md"));

    private static string Relative(string file) => Path.GetRelativePath(Repository.Root, file);

    /// <summary>Markdown text outside fenced code blocks, by line number.</summary>
    private static IEnumerable<(string Text, int Line)> ProseLines(string file)
    {
        var fenced = false;
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (line.StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            else if (!fenced) yield return (line, number);
        }
    }

    private static IEnumerable<(string Target, int Line)> Links(string file) =>
        ProseLines(file).SelectMany(l => LinkPattern().Matches(l.Text).Select(m => (m.Groups[1].Value, l.Line)));

    /// <summary>GitHub's anchors: the heading lower-cased, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string file) =>
        ProseLines(file)
            .Select(l => HeadingPattern().Match(l.Text))
            .Where(m => m.Success)
            .Select(m => AnchorDropPattern().Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet();

    /// <summary>Settings named in code spans: `Section:Key`, the environment's `Section__Key`, or a top-level `Urls`.</summary>
    private static IEnumerable<(string Name, int Line)> NamedSettings(string file) =>
        ProseLines(file).SelectMany(l => SettingPattern().Matches(l.Text)
            .Select(m => (m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal), l.Line)));

    private static List<string> Settings()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.Path("appsettings.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var settings = new List<string>();
        Collect(json.RootElement, "");
        return settings;

        void Collect(JsonElement element, string path)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.StartsWith("//", StringComparison.Ordinal)) continue;
                var name = path.Length == 0 ? property.Name : path + ":" + property.Name;
                if (property.Value.ValueKind == JsonValueKind.Object) Collect(property.Value, name);
                else settings.Add(name);
            }
        }
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex SchemePattern();

    [GeneratedRegex(@"^#{1,6} (.+)$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"[^\p{L}\p{N}_\- ]")]
    private static partial Regex AnchorDropPattern();

    [GeneratedRegex(@"`([A-Z][a-z][A-Za-z]*(?:(?::|__)[A-Za-z][A-Za-z0-9_.]*)*)(?=[`=])")]
    private static partial Regex SettingPattern();
}
