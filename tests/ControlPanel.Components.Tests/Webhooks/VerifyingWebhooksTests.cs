using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Web.Components.Pages.Help;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace ControlPanel.Components.Tests.Webhooks;

/// <summary>The help page on verifying deliveries: its three snippets verify what the domain signs, and reject what it did not.</summary>
public sealed class VerifyingWebhooksTests : WebhookTest
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string OtherSecret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private const string MessageId = "3f2b1c9e-5d0a-4e8b-9a51-2c7d0e6f4a10";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"event_name\":\"chat_ended\",\"secret\":\"yoursecret\",\"data\":{\"name\":\"Zoë\"}}");

    // snippet:start (the page's C# verifier, to the character but for indentation; the first test checks they match)
    // StandardWebhooks 1.1.2 checks only the first of several signatures, so each is offered on its own:
    // while a rotated signing secret overlaps, a delivery carries one signature per secret.
    static bool IsGenuine(StandardWebhook webhook, string body, IHeaderDictionary headers) =>
        headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature =>
        {
            var one = new HeaderDictionary(headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase))
            {
                ["webhook-signature"] = signature,
            };
            try { webhook.Verify(body, one); return true; }
            catch (WebhookVerificationException) { return false; }
        });
    // snippet:end

    /// <summary>Cases every verifier must get right: (timestamp, body, signature header, expected answer).</summary>
    private static IEnumerable<(string Name, long Timestamp, byte[] Body, string Header, bool Valid)> Cases()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(Secret, MessageId, now, Body);
        var other = WebhookSignature.Sign(OtherSecret, MessageId, now, Body);
        yield return ("signed now", now, Body, signature, true);
        yield return ("first of two signatures (a rotation overlap)", now, Body, $"{signature} {other}", true);
        yield return ("second of two signatures (a rotation overlap)", now, Body, $"{other} {signature}", true);
        yield return ("body changed", now, [.. Body, (byte)' '], signature, false);
        yield return ("another secret", now, Body, other, false);
        yield return ("signed 10 minutes ago", now - 600, Body, WebhookSignature.Sign(Secret, MessageId, now - 600, Body), false);
        yield return ("signature without its version", now, Body, "x" + signature["v1".Length..], false);
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
        Assert.Contains("Standard Webhooks", page.Find("[data-testid=two-checks]").TextContent);
        Assert.Contains("verification secret", page.Find("[data-testid=two-checks]").TextContent);
        Assert.Contains(WebhookSignature.TimestampHeader, page.Find("[data-testid=signature-headers]").TextContent);
        // The shape of each event's data is one link away.
        Assert.Equal("event-types", page.Find("[data-testid=event-types-link]").GetAttribute("href"));
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
    public void The_csharp_verifier_is_the_one_this_test_runs_and_with_the_published_library_it_verifies_what_the_domain_signs()
    {
        var shown = VerificationSnippets.CSharp[VerificationSnippets.CSharp.IndexOf("// StandardWebhooks 1.1.2", StringComparison.Ordinal)..];
        Assert.Equal(Normalize(shown), Normalize(SnippetInThisFile()));
        Assert.Contains("new StandardWebhook(signingSecret)", VerificationSnippets.CSharp);

        var webhook = new StandardWebhook(Secret);
        foreach (var (name, timestamp, body, header, valid) in Cases())
        {
            var headers = new HeaderDictionary
            {
                [WebhookSignature.IdHeader] = MessageId,
                [WebhookSignature.TimestampHeader] = timestamp.ToString(),
                [WebhookSignature.SignatureHeader] = header,
            };
            Assert.True(valid == IsGenuine(webhook, Encoding.UTF8.GetString(body), headers), name);
        }
    }

    [Fact]
    public async Task The_nodejs_snippet_verifies_what_the_domain_signs()
    {
        // Node.js with the standardwebhooks package (npm install -g standardwebhooks) is needed; without it the text is still checked above.
        if (!OnPath("node") || !await CanRunAsync("node", "-e", "require('standardwebhooks')")) return;
        var harness = VerificationSnippets.Node + """

            const [id, cases] = [process.argv[3], JSON.parse(require("node:fs").readFileSync(process.argv[4], "utf8"))];
            console.log(cases.map(c => isGenuine(Buffer.from(c.body, "base64"),
              { "webhook-id": id, "webhook-timestamp": String(c.timestamp), "webhook-signature": c.header })).join(","));
            """;
        await AssertVerdictsAsync("node", harness, ".js");
    }

    [Fact]
    public async Task The_python_snippet_verifies_what_the_domain_signs()
    {
        // Python with the standardwebhooks package is needed; without it the text is still checked above.
        if (!OnPath("python3") || !await CanRunAsync("python3", "-c", "import standardwebhooks")) return;
        var harness = VerificationSnippets.Python + """

            import base64, json, sys
            cases = json.load(open(sys.argv[3]))
            print(",".join("true" if is_genuine(base64.b64decode(c["body"]),
                {"webhook-id": sys.argv[2], "webhook-timestamp": str(c["timestamp"]), "webhook-signature": c["header"]}) else "false" for c in cases))
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
            start.Environment["WEBHOOK_SECRET"] = Secret;
            start.Environment["NODE_PATH"] = GlobalNodeModules();
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

    /// <summary>Where npm installs global packages, so a harness can require one installed with -g.</summary>
    private static string GlobalNodeModules() =>
        Environment.GetEnvironmentVariable("NODE_PATH") is { Length: > 0 } set ? set
        : File.Exists("/usr/lib/node_modules/standardwebhooks/package.json") ? "/usr/lib/node_modules" : "/usr/local/lib/node_modules";

    private static async Task<bool> CanRunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["NODE_PATH"] = GlobalNodeModules();
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));
}
