using System.Diagnostics;
using System.Net;
using System.Text;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Errors;

/// <summary>
/// Bounded fuzzing of every API endpoint on the in-process server: garbled headers, Basic and Bearer
/// forms, and bodies for verify, sessions, views and webhook intake, with valid keys and tokens as well as
/// junk. Seeded, so a failure repeats; each request has its own timeout, so a hang fails instead of stalling.
/// </summary>
public sealed class FuzzTests(ControlPanelFactory fixture) : IClassFixture<ControlPanelFactory>
{
    // The fuzzing comes from one address; past the per-address refused-call window everything would answer 158
    // and the endpoints behind the check would go unexercised (RefusedCallTests pins that window).
    private readonly ControlPanelFactory factory = fixture.With("Api:RefusedCallsPerAddressPerMinute", "1000000");

    private const int Seed = 1313;
    private const int Requests = 10_000;
    private const int Parallelism = 4;
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(10);

    private static readonly string[] Paths =
    [
        "/api/v1/check", "/api/v1/check/nginx", "/api/v1/verify", "/api/v1/session", "/api/v1/session/view",
        "/api/v1/helper/error", "/api/v1/helper/channels", "/api/v1/usage", "/api/v1/usage/history.csv",
        "/api/v1/webhooks/events", "/api/v1/no-such-endpoint", "/api/v1/check/", "/api/v1//verify", "/api/v1/session/view/extra",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

    private sealed record Keys(string ApplicationKey, string ConsumerKey, string Token);

    [Fact]
    public async Task Ten_thousand_malformed_requests_answer_without_server_errors_or_hangs_and_a_good_call_still_answers()
    {
        var application = await factory.CreateApplicationAsync();
        var client = factory.CreateApiClient();
        var opened = await client.SendAsync(Check(application, path: "/api/v1/session").WithMethod(HttpMethod.Post));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var keys = new Keys(application.ApplicationKey, application.ConsumerKey, (await opened.ReadJsonAsync()).GetProperty("token").GetString()!);

        // Built in order from one seeded generator, so the same requests are sent on every run.
        var random = new Random(Seed);
        var requests = Enumerable.Range(0, Requests).Select(i => Build(random, keys, i)).ToList();

        var failures = new List<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, _) =>
        {
            var what = Describe(request);
            using var timeout = new CancellationTokenSource(PerRequest);
            try
            {
                using var response = await client.SendAsync(request.Message, timeout.Token);
                await response.Content.ReadAsByteArrayAsync(timeout.Token);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if ((int)response.StatusCode >= 500) lock (failures) failures.Add($"{(int)response.StatusCode} for {what}");
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                lock (failures) failures.Add($"no answer within {PerRequest.TotalSeconds} s for {what}");
            }
            catch (Exception e)
            {
                // The in-process server hands an unhandled exception to the client.
                lock (failures) failures.Add($"{e.GetType().Name}: {e.Message} {e.InnerException} for {what}");
            }
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests} requests failed (seed {Seed}, {clock.Elapsed.TotalSeconds:F0} s):\n" + string.Join("\n", failures.Take(20)));

        // The valid keys and token got through to the endpoints' work, not only to their refusals.
        Assert.Contains(statuses.Keys, s => s is >= 200 and < 300);
        Assert.True(statuses.Keys.Count(s => s is >= 400 and < 500) >= 5, string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));

        // The app still answers a good call (a new application: the fuzzed one has used its rate limit).
        var fresh = await factory.CreateApplicationAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(fresh))).StatusCode);
        var verified = await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify")
        {
            Content = new StringContent($$"""{"applicationKey":"{{fresh.ApplicationKey}}","consumerKey":"{{fresh.ConsumerKey}}"}""", Encoding.UTF8, "application/json"),
        })).ReadJsonAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean());
    }

    private sealed record FuzzRequest(int Number, HttpRequestMessage Message, string Summary);

    private static string Describe(FuzzRequest request) => $"request {request.Number}: {request.Summary}";

    private static FuzzRequest Build(Random random, Keys keys, int number)
    {
        var path = random.Next(5) == 0 ? Pick(random, Paths) + Query(random) : Pick(random, Paths);
        var method = random.Next(4) == 0 ? Pick(random, Methods) : DefaultMethod(path);
        var message = new HttpRequestMessage(new HttpMethod(method), path);
        var summary = new StringBuilder($"{method} {path}");

        var headerCount = random.Next(0, 6);
        for (var h = 0; h < headerCount; h++)
        {
            var (name, value) = Header(random, keys);
            if (message.Headers.TryAddWithoutValidation(name, value)) summary.Append($" [{name}: {Shorten(value)}]");
        }
        if (random.Next(3) == 0) message.Headers.TryAddWithoutValidation(ControlPanelFactory.ConnectionIpHeader, random.Next(2) == 0 ? Gateway : Stranger);

        if (method is not ("GET" or "HEAD") && random.Next(4) != 0)
        {
            var body = Body(random, keys, path);
            var content = new ByteArrayContent(body);
            var type = Pick(random, ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=latin1"]);
            if (type.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", type);
            message.Content = content;
            summary.Append($" body {body.Length} bytes ({type}): {Shorten(Encoding.UTF8.GetString(body))}");
        }
        return new FuzzRequest(number, message, summary.ToString());
    }

    private static string DefaultMethod(string path) => path switch
    {
        _ when path.StartsWith("/api/v1/session/view") => "PUT",
        _ when path.StartsWith("/api/v1/verify") || path.StartsWith("/api/v1/session") || path.StartsWith("/api/v1/webhooks") => "POST",
        _ => "GET",
    };

    private static (string, string) Header(Random random, Keys keys) => random.Next(12) switch
    {
        0 => ("APPLICATIONKEY", Key(random, keys.ApplicationKey)),
        1 => ("CONSUMERKEY", Key(random, keys.ConsumerKey)),
        2 => ("Authorization", "Basic " + Basic(random, keys)),
        3 => ("Authorization", "Bearer " + Token(random, keys)),
        4 => ("Authorization", Pick(random, ["Basic", "Bearer", "Bearer  ", "basic " + Junk(random, 40), "BEARER " + keys.Token, Junk(random, 30), "Digest x=1", "Basic " + keys.ApplicationKey])),
        5 => ("X-Forwarded-For", Pick(random, ["", ",", "1.2.3.4, 5.6.7.8", "[::1]:80", "[::1", "999.1.1.1", "::ffff:10.0.0.1", Junk(random, 60), string.Join(",", Enumerable.Repeat("10.0.0.1", random.Next(1, 200)))])),
        6 => ("X-Real-IP", Pick(random, ["", "2001:db8::1", "256.256.256.256", Junk(random, 20)])),
        7 => ("X-Forwarded-Proto", Pick(random, ["https", "http", "https, http", "", Junk(random, 10)])),
        8 => ("Origin", Pick(random, ["null", "https://example.com", "https://exa mple.com", "http://[::1", "https://" + new string('a', random.Next(1, 3000)) + ".example", Junk(random, 50)])),
        9 => (Pick(random, ["X-ControlPanel-Counted", "X-ControlPanel-Session-Required", "X-ControlPanel-Gateway-Secret"]), Pick(random, ["false", "true", "FALSE", "", GatewaySecret, Junk(random, 40)])),
        // Host only in forms Kestrel lets through: it refuses a malformed Host before the app, the in-process server does not.
        10 => random.Next(4) == 0
            ? ("Host", Pick(random, ["example.com", "localhost:1", "[::1]:443", "xn--bcher-kva.example", "203.0.113.9"]))
            : (Pick(random, ["Content-Length", "Transfer-Encoding", "Accept", "Cookie", "Accept-Language"]), Junk(random, 30)),
        _ => (Pick(random, ["applicationkey", "consumerkey", "authorization", "X-" + Junk(random, 8, asciiOnly: true)]), Junk(random, random.Next(0, 500))),
    };

    private static string Key(Random random, string valid) => random.Next(6) switch
    {
        0 or 1 => valid,
        2 => valid[..random.Next(valid.Length)],
        3 => valid.ToUpperInvariant() + Junk(random, 3),
        4 => " " + valid + "\t",
        _ => Junk(random, random.Next(0, 100)),
    };

    private static string Basic(Random random, Keys keys) => random.Next(6) switch
    {
        0 => Base64($"{keys.ApplicationKey}:{keys.ConsumerKey}"),
        1 => Base64($"{keys.ApplicationKey}:{Junk(random, 32)}"),
        2 => Base64(Junk(random, random.Next(0, 400))),
        3 => Base64($"{keys.ApplicationKey}{keys.ConsumerKey}"),
        4 => Convert.ToBase64String(RandomBytes(random, random.Next(0, 120))),
        _ => Junk(random, random.Next(0, 120)),
    };

    private static string Token(Random random, Keys keys) => random.Next(5) switch
    {
        0 => keys.Token,
        1 => keys.Token[..random.Next(keys.Token.Length)],
        2 => Guid.NewGuid().ToString().ToUpperInvariant(),
        3 => keys.Token.ToLowerInvariant() + Junk(random, 2),
        _ => Junk(random, random.Next(0, 300)),
    };

    private static byte[] Body(Random random, Keys keys, string path)
    {
        var valueJunk = Junk(random, random.Next(0, 80)).Replace("\\", "\\\\").Replace("\"", "\\\"");
        string Value() => random.Next(7) switch
        {
            0 => $"\"{keys.ApplicationKey}\"",
            1 => $"\"{keys.ConsumerKey}\"",
            2 => $"\"{valueJunk}\"",
            3 => random.Next(-5, 5).ToString(),
            4 => Pick(random, ["null", "true", "false", "[]", "{}", "1e308", "-0", "\"\""]),
            5 => $"\"{keys.Token}\"",
            _ => $"\"{new string('x', random.Next(0, 20_000))}\"",
        };
        var fields = new[] { "applicationKey", "consumerKey", "token", "clientIp", "origin", "counted", "sessionRequired", "view", "event_name", "data", "chat_id", "Error" };
        var text = random.Next(10) switch
        {
            0 => "",
            1 => Junk(random, random.Next(1, 2000)),
            2 => new string('[', random.Next(1, 5000)),
            3 => "{" + string.Join(",", Enumerable.Range(0, random.Next(1, 8)).Select(_ => $"\"{Pick(random, fields)}\":{Value()}")),
            4 => "{" + string.Join(",", Enumerable.Range(0, random.Next(1, 8)).Select(_ => $"\"{Pick(random, fields)}\":{Value()}")) + "}",
            5 => $$"""{"applicationKey":"{{keys.ApplicationKey}}","consumerKey":"{{keys.ConsumerKey}}","clientIp":{{Value()}},"origin":{{Value()}},"counted":{{Value()}}}""",
            6 => $$"""{"view":{{Value()}}}""",
            7 => $$"""{"event_name":{{Pick(random, ["\"chat_ended\"", "\"offline_message\"", "\"\"", "7", Value()])}},"data":{{Pick(random, ["{}", "[]", "null", $"{{\"chat_id\":{Value()}}}", Value()])}}}""",
            8 => "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", random.Next(1, 300))) + "1" + new string('}', random.Next(0, 302)),
            _ => null!,
        };
        return text is null ? RandomBytes(random, random.Next(1, 3000)) : Encoding.UTF8.GetBytes(text);
    }

    private static string Query(Random random) => "?" + string.Join("&", Enumerable.Range(0, random.Next(1, 5)).Select(_ =>
        Pick(random, ["applicationId", "accountId", "environment", "from", "to", "sort", "descending", "x"]) + "=" + Uri.EscapeDataString(Pick(random,
            [Guid.NewGuid().ToString(), "Live", "2026-01-01", "2026-13-45", "true", "Total", "", Junk(random, 20)]))));

    private static string Junk(Random random, int length, bool asciiOnly = false)
    {
        // Printable ASCII, Latin-1, other scripts, right-to-left marks, emoji halves; never CR or LF (no client can send them in a header).
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append((asciiOnly ? 3 : random.Next(6)) switch
            {
                0 => (char)random.Next(0xA0, 0x100),
                1 => (char)random.Next(0x400, 0x500),
                2 => Pick(random, ['\u202E', '\u200B', '\uFEFF', '\uD83D', '\t', '%', ':', ',', ';', '"', '\\']),
                _ => (char)random.Next(0x21, 0x7F),
            });
        }
        return builder.ToString();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static T Pick<T>(Random random, T[] choices) => choices[random.Next(choices.Length)];

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + $"…({text.Length})";
}
