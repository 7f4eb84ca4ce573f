using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Pages.Help;

namespace ControlPanel.Components.Tests.Webhooks;

/// <summary>The help page on verifying deliveries: its three snippets verify what the domain signs, and reject what it did not.</summary>
public sealed class VerifyingWebhooksTests : WebhookTest
{
    private const string Secret = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string MessageId = "3f2b1c9e-5d0a-4e8b-9a51-2c7d0e6f4a10";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"event_name\":\"chat_ended\",\"secret\":\"whsid_8c1f0e2d9b7a6543\",\"data\":{\"name\":\"Zoë\"}}");

    // snippet:start (the page's C# snippet, to the character but for indentation; the first test checks they match)
    static bool VerifyWebhook(string secret, string id, string timestamp, byte[] body, string signatureHeader)
    {
        // Reject deliveries signed more than 5 minutes away from now: a captured one cannot be replayed later.
        if (!long.TryParse(timestamp, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300) return false;
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes("v1=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        // Several signatures may come, space-separated: accept if any matches, compared in constant time.
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(candidate =>
            CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }
    // snippet:end

    /// <summary>Cases every snippet must get right: (timestamp, body, signature header, expected answer).</summary>
    private static IEnumerable<(string Name, long Timestamp, byte[] Body, string Header, bool Valid)> Cases()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(Secret, MessageId, now, Body);
        yield return ("signed now", now, Body, signature, true);
        yield return ("one of several signatures", now, Body, $"v1={new string('0', 64)} {signature}", true);
        yield return ("body changed", now, [.. Body, (byte)' '], signature, false);
        yield return ("another secret", now, Body, WebhookSignature.Sign(Secret + "x", MessageId, now, Body), false);
        yield return ("signed 10 minutes ago", now - 600, Body, WebhookSignature.Sign(Secret, MessageId, now - 600, Body), false);
        yield return ("no signature", now, Body, "", false);
        yield return ("signature without its version", now, Body, signature["v1=".Length..], false);
    }

    private static string Normalize(string code) => Regex.Replace(code, @"\s+", " ").Trim();

    private static string SnippetInThisFile([CallerFilePath] string path = "")
    {
        var source = File.ReadAllText(path);
        var start = source.IndexOf("// snippet:start", StringComparison.Ordinal);
        var body = source[(source.IndexOf('\n', start) + 1)..source.IndexOf("// snippet:end", StringComparison.Ordinal)];
        return body;
    }

    [Fact]
    public async Task Any_signed_in_user_reads_the_scheme_and_three_snippets_in_tabs()
    {
        SignIn(await NewOwnerAsync("Initech"));

        var page = Render<VerifyingWebhooks>();

        Assert.Equal(["C#", "Node.js", "Python"], page.FindAll("[role=tab]").Select(t => t.TextContent.Trim()));
        Assert.Contains("HMAC-SHA-256", page.Markup);
        Assert.Contains(WebhookSignature.TimestampHeader, page.Find("[data-testid=signature-headers]").TextContent);
        Assert.Contains("5 minutes", page.Find("[data-testid=signature-headers]").TextContent);
        Assert.Equal("30 seconds", page.Find("[data-testid=answer-timeout]").TextContent);
        Assert.Equal("hour", page.Find("[data-testid=retry-interval]").TextContent);
        Assert.Equal("24 hours", page.Find("[data-testid=retry-window]").TextContent);
        Assert.Contains("HTTP 200", page.Find("[data-testid=answer-rules]").TextContent);

        Assert.Equal(Normalize(VerificationSnippets.CSharp), Normalize(page.Find("[data-testid=snippet-csharp]").TextContent));
        await page.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Node.js").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(Normalize(VerificationSnippets.Node), Normalize(page.Find("[data-testid=snippet-node]").TextContent)));
        await page.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Python").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(Normalize(VerificationSnippets.Python), Normalize(page.Find("[data-testid=snippet-python]").TextContent)));
    }

    [Fact]
    public async Task Support_may_read_it_too()
    {
        SignIn(await NewStaffAsync(Roles.Support));

        var page = Render<VerifyingWebhooks>();

        Assert.NotEmpty(page.FindAll("[data-testid=snippet-csharp]"));
    }

    [Fact]
    public void The_csharp_snippet_is_the_one_this_test_runs_and_it_verifies_what_the_domain_signs()
    {
        var shown = VerificationSnippets.CSharp[VerificationSnippets.CSharp.IndexOf("static bool", StringComparison.Ordinal)..];
        Assert.Equal(Normalize(shown), Normalize(SnippetInThisFile()));
        Assert.Contains($"> {WebhookSignature.RecommendedTolerance.TotalSeconds}", VerificationSnippets.CSharp);

        foreach (var (name, timestamp, body, header, valid) in Cases())
        {
            Assert.True(valid == VerifyWebhook(Secret, MessageId, timestamp.ToString(), body, header), name);
            Assert.Equal(valid, WebhookSignature.Verify(Secret, MessageId, timestamp, body, header) && timestamp > DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 300);
        }
    }

    [Fact]
    public async Task The_nodejs_snippet_verifies_what_the_domain_signs()
    {
        if (!OnPath("node")) return; // Node.js is not installed here: the text is still checked above.
        var harness = VerificationSnippets.Node + """

            const [secret, id, cases] = [process.argv[2], process.argv[3], JSON.parse(require("node:fs").readFileSync(process.argv[4], "utf8"))];
            console.log(cases.map(c => verifyWebhook(secret, id, String(c.timestamp), Buffer.from(c.body, "base64"), c.header)).join(","));
            """;
        await AssertVerdictsAsync("node", harness, ".js");
    }

    [Fact]
    public async Task The_python_snippet_verifies_what_the_domain_signs()
    {
        if (!OnPath("python3")) return; // Python is not installed here: the text is still checked above.
        var harness = VerificationSnippets.Python + """

            import base64, json, sys
            cases = json.load(open(sys.argv[3]))
            print(",".join("true" if verify_webhook(sys.argv[1], sys.argv[2], str(c["timestamp"]), base64.b64decode(c["body"]), c["header"]) else "false" for c in cases))
            """;
        await AssertVerdictsAsync("python3", harness, ".py");
    }

    private static async Task AssertVerdictsAsync(string program, string script, string extension)
    {
        var cases = Cases().ToList();
        var folder = Directory.CreateTempSubdirectory("cp-snippet-");
        try
        {
            var scriptPath = Path.Combine(folder.FullName, "verify" + extension);
            var casesPath = Path.Combine(folder.FullName, "cases.json");
            await File.WriteAllTextAsync(scriptPath, script);
            await File.WriteAllTextAsync(casesPath, System.Text.Json.JsonSerializer.Serialize(
                cases.Select(c => new { timestamp = c.Timestamp, body = Convert.ToBase64String(c.Body), header = c.Header })));
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { scriptPath, Secret, MessageId, casesPath }) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, errors);
            Assert.Equal(string.Join(",", cases.Select(c => c.Valid ? "true" : "false")), output.Trim());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));
}
