using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Origins;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Requests;

public sealed class VerifyTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    private readonly HttpClient client = factory.CreateApiClient();

    private static HttpRequestMessage Verify(object body) => new(HttpMethod.Post, "/api/v1/verify") { Content = JsonContent.Create(body) };

    [Fact]
    public async Task Valid_keys_verify_with_application_quota_and_rate_limit()
    {
        var application = await factory.CreateApplicationAsync();
        var response = await client.SendAsync(Verify(new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertRateLimitHeaders(response);
        var json = await response.ReadJsonAsync();
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal(application.Id, json.GetProperty("application").GetProperty("id").GetGuid());
        Assert.Equal("Live", json.GetProperty("environment").GetString());
        Assert.Equal(1_000_000, json.GetProperty("quota").GetProperty("limit").GetInt64());
        Assert.Equal(1, json.GetProperty("quota").GetProperty("used").GetInt64());
        Assert.Equal(100, json.GetProperty("rateLimit").GetProperty("limit").GetInt32());
        Assert.Equal(99, json.GetProperty("rateLimit").GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task Refusals_verify_as_invalid_with_the_code_and_status_200()
    {
        var application = await factory.CreateApplicationAsync();
        var wrong = await (await client.SendAsync(Verify(new { applicationKey = application.ApplicationKey, consumerKey = new string('0', 32) }))).ReadJsonAsync();
        Assert.False(wrong.GetProperty("valid").GetBoolean());
        Assert.Equal(204, wrong.GetProperty("code").GetInt32());
        Assert.Equal("NOT AUTHORISED", wrong.GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Null, wrong.GetProperty("application").ValueKind);

        var missing = await client.SendAsync(Verify(new { applicationKey = application.ApplicationKey }));
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Equal(202, (await missing.ReadJsonAsync()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Client_ip_and_origin_in_the_body_are_believed_from_trusted_proxies_only()
    {
        var application = await factory.CreateApplicationAsync();
        await factory.UseAsync<AllowlistService>(allowlists => allowlists.SaveAsync(ControlPanelFactory.Admin, application.Id, "203.0.113.0/24\nhttps://app.example.com"));
        var byIp = new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey, clientIp = "203.0.113.5" };
        var byOrigin = new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey, origin = "https://app.example.com" };

        async Task<int> Code(HttpRequestMessage request) => (await (await client.SendAsync(request)).ReadJsonAsync()).GetProperty("code").GetInt32();
        Assert.Equal(0, await Code(Verify(byIp).From(Gateway)));
        Assert.Equal(0, await Code(Verify(byOrigin).From(Gateway)));
        Assert.Equal(111, await Code(Verify(byIp).From(Stranger)));
        Assert.Equal(111, await Code(Verify(byOrigin).From(Stranger)));

        var badIp = await client.SendAsync(Verify(new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey, clientIp = "999.1.1.1" }).From(Gateway));
        await badIp.AssertBodyAsync(HttpStatusCode.BadRequest, 117);
    }

    [Fact]
    public async Task Unreadable_bodies_answer_117_and_plain_http_101()
    {
        foreach (var body in new[] { "{", "[]", "\"text\"", "{\"applicationKey\": 5}", "{\"counted\": \"maybe\"}", new string('[', 5000) })
        {
            var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });
            await response.AssertBodyAsync(HttpStatusCode.BadRequest, 117);
        }
        var huge = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify") { Content = new StringContent("{\"applicationKey\":\"" + new string('a', 100_000) + "\"}", System.Text.Encoding.UTF8, "application/json") });
        await huge.AssertBodyAsync(HttpStatusCode.BadRequest, 117);

        var http = await factory.CreateClient().SendAsync(Verify(new { applicationKey = "x" }));
        await http.AssertBodyAsync(HttpStatusCode.UpgradeRequired, 101);
    }

    [Fact]
    public async Task Verify_reads_credentials_as_the_check_does()
    {
        var application = await factory.CreateApplicationAsync();
        async Task<JsonElement> Answer(HttpRequestMessage request)
        {
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.ReadJsonAsync();
        }
        HttpRequestMessage Empty() => new(HttpMethod.Post, "/api/v1/verify");

        // Key headers and Basic, with no body at all.
        var byHeaders = await Answer(Empty().Header("APPLICATIONKEY", application.ApplicationKey).Header("CONSUMERKEY", application.ConsumerKey));
        Assert.True(byHeaders.GetProperty("valid").GetBoolean());
        Assert.Equal(application.Id, byHeaders.GetProperty("application").GetProperty("id").GetGuid());
        var basic = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{application.ApplicationKey}:{application.ConsumerKey}"));
        Assert.True((await Answer(Empty().Header("Authorization", "Basic " + basic))).GetProperty("valid").GetBoolean());

        // A Bearer session in the Authorization header, as the check takes it.
        var opened = await (await client.SendAsync(Check(application, path: "/api/v1/session").WithMethod(HttpMethod.Post))).ReadJsonAsync();
        var bySession = await Answer(Empty().Bearer(opened.GetProperty("token").GetString()!));
        Assert.True(bySession.GetProperty("valid").GetBoolean());
        Assert.Equal(opened.GetProperty("sessionId").GetGuid(), bySession.GetProperty("session").GetProperty("id").GetGuid());

        // The same refusals as the check: wrong keys 204, broken Basic 102, no credentials 201.
        Assert.Equal(204, (await Answer(Empty().Header("APPLICATIONKEY", application.ApplicationKey).Header("CONSUMERKEY", new string('0', 32)))).GetProperty("code").GetInt32());
        Assert.Equal(102, (await Answer(Empty().Header("Authorization", "Basic !!!"))).GetProperty("code").GetInt32());
        Assert.Equal(201, (await Answer(Empty())).GetProperty("code").GetInt32());

        // Credentials both in headers and in the body are ambiguous, as keys in headers and Basic are.
        var both = Verify(new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey })
            .Header("APPLICATIONKEY", application.ApplicationKey).Header("CONSUMERKEY", application.ConsumerKey);
        Assert.Equal(102, (await Answer(both)).GetProperty("code").GetInt32());
        // A body with only the other facts (no credentials) leaves the headers' credentials in force.
        var headersAndFacts = Verify(new { sessionRequired = false }).Header("APPLICATIONKEY", application.ApplicationKey).Header("CONSUMERKEY", application.ConsumerKey);
        Assert.True((await Answer(headersAndFacts)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task The_helper_tables_are_the_seeds()
    {
        var errors = await client.GetFromJsonAsync<JsonElement>("/api/v1/helper/error");
        Assert.Equal(ErrorCatalogue.All.Count, errors.GetArrayLength());
        var rate = errors.EnumerateArray().Single(e => e.GetProperty("code").GetInt32() == 158);
        Assert.Equal(("INFO", "RATE LIMIT EXCEEDED", 429), (rate.GetProperty("severity").GetString(), rate.GetProperty("description").GetString(), rate.GetProperty("httpStatus").GetInt32()));
        Assert.Equal([101, 102, 103], errors.EnumerateArray().Take(3).Select(e => e.GetProperty("code").GetInt32()));
        Assert.Equal(403, errors.EnumerateArray().Last().GetProperty("code").GetInt32());
        // The guide's status and, beside it, the one this API answers: a refusal is never 2xx.
        (int Guide, int Answered) Statuses(int code)
        {
            var row = errors.EnumerateArray().Single(e => e.GetProperty("code").GetInt32() == code);
            return (row.GetProperty("httpStatus").GetInt32(), row.GetProperty("answeredStatus").GetInt32());
        }
        Assert.Equal((200, 401), Statuses(201));
        Assert.Equal((200, 401), Statuses(194));
        Assert.Equal((200, 429), Statuses(196));
        Assert.Equal((200, 404), Statuses(195));
        Assert.Equal((200, 400), Statuses(309));
        Assert.Equal((429, 429), Statuses(158));
        Assert.Equal((403, 403), Statuses(204));
        // Descriptions are the guide's text exactly, its double spaces and trailing space included.
        string Description(int code) => errors.EnumerateArray().Single(e => e.GetProperty("code").GetInt32() == code).GetProperty("description").GetString()!;
        Assert.Equal("HTTP OPTIONS  METHOD NOT AVAILABLE", Description(131));
        Assert.Equal("HTTP GET  METHOD NOT AVAILABLE", Description(132));
        Assert.Equal("READ DATABASE CONNECTION FAILED ", Description(262));

        var channels = await client.GetFromJsonAsync<JsonElement>("/api/v1/helper/channels");
        Assert.Equal(
            ["0 Live Chat Active", "1 Callback Active", "2 Email Inactive", "3 voip Inactive", "4 Video Inactive", "5 WhatsApp Inactive", "6 Skype Inactive", "7 SMS Inactive",
             "8 Twitter Inactive", "9 Ticket Inactive", "10 Facebook Active", "14 Knowledge Active", "15 IVA Active", "16 Form Agent Active", "17 Virtual Agent Active", "99 Unknown Active"],
            channels.EnumerateArray().Select(c => $"{c.GetProperty("number").GetInt32()} {c.GetProperty("description").GetString()} {c.GetProperty("status").GetString()}"));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/v1/check", "/api/v1/check/nginx", "/api/v1/verify", "/api/v1/session", "/api/v1/session/view", "/api/v1/helper/error", "/api/v1/helper/channels" })
            Assert.Contains(path, paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith("/api/v1/"));
    }

    [Fact]
    public async Task Liveness_answers_ok()
    {
        Assert.Equal("ok", await factory.CreateClient().GetStringAsync("/health/live"));
    }
}
