using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Sessions;
using ControlPanel.Tests;
using ControlPanel.Web.Api;
using Xunit.Abstractions;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Cluster;

/// <summary>
/// The key check answered by three instances sharing one PostgreSQL database: limits and quotas
/// are exact over all of them, and a change made anywhere is in force everywhere within a second.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterCheckTests(ClusterCollection.ThreeInstances cluster, ITestOutputHelper output)
{
    private const int RateLimit = 60;

    [Fact]
    public async Task A_rate_limit_is_exact_over_three_instances_called_in_turn()
    {
        var application = await ApplicationWithLimitsAsync(applicationOnly: RateLimit);
        await AppCluster.WaitForRoomInTheMinuteAsync();

        var answers = new List<HttpResponseMessage>();
        for (var call = 0; call < 2 * RateLimit; call++)
            answers.Add(await cluster.Clients[call % cluster.Clients.Count].SendAsync(Check(application)));

        await AppCluster.AssertExactlyAsync(answers, RateLimit, HttpStatusCode.TooManyRequests, 158);
        // One window: every answer reports the same reset.
        Assert.Single(answers.Select(a => a.HeaderValue("X-RateLimit-Reset")).Distinct());
    }

    [NginxFact]
    public async Task A_rate_limit_is_exact_through_nginx_sending_the_checks_round_robin()
    {
        var application = await ApplicationWithLimitsAsync(applicationOnly: RateLimit);
        await using var gateway = await NginxGateway.StartAsync(ApiRequests.GatewaySecret, [.. cluster.Instances.Select(i => i.Port)]);
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        await AppCluster.WaitForRoomInTheMinuteAsync();

        var answers = new List<HttpResponseMessage>();
        for (var call = 0; call < 2 * RateLimit; call++)
            answers.Add(await client.SendAsync(Check(application, path: "/orders/42")));

        await AppCluster.AssertExactlyAsync(answers, RateLimit, HttpStatusCode.TooManyRequests, 158);
        foreach (var allowed in answers.Where(a => a.StatusCode == HttpStatusCode.OK))
            Assert.Equal("upstream ok", await allowed.Content.ReadAsStringAsync());
        // nginx really spread the checks: every instance answered some.
        var log = gateway.AccessLog;
        Assert.All(cluster.Instances, instance => Assert.Contains($"127.0.0.1:{instance.Port}", log));
    }

    [Fact]
    public async Task A_monthly_quota_and_its_overrun_allowance_are_exact_over_three_instances()
    {
        const long quota = 100, allowance = 20;
        var application = await cluster.CreateApplicationAsync();
        await cluster.UseAsync<AdminControls>(async admin =>
        {
            await admin.SetRateLimitsAsync(AppCluster.Admin, application.Id, Application.MaxRateLimit, null);
            await admin.SetQuotaAsync(AppCluster.Admin, application.Id, quota, allowance);
        });
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer =>
            answer.Valid && answer.Quota is { Limit: quota, OverrunAllowance: allowance } && answer.RateLimit.Limit == Application.MaxRateLimit);

        var answers = new List<HttpResponseMessage>();
        for (var call = 0; call < 3 * (quota + allowance) / 2; call++)
            answers.Add(await cluster.Clients[call % cluster.Clients.Count].SendAsync(Check(application)));

        await AppCluster.AssertExactlyAsync(answers, (int)(quota + allowance), HttpStatusCode.NotAcceptable, 103);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_by_every_instance_within_a_second()
    {
        var application = await ApplicationWithLimitsAsync(applicationOnly: Application.MaxRateLimit);

        // Revoked with the key service, as an instance's UI does it (the browser tests revoke in one instance's UI).
        await cluster.UseAsync<KeyService>(keys => keys.RevokeAsync(AppCluster.Admin, application.Id, application.Keys.KeyPairId));
        var refusedAfter = await UntilEveryInstanceRefusesAsync(() => Check(application), HttpStatusCode.Forbidden, 204);

        output.WriteLine($"Revoked keys refused by the instances after {string.Join(", ", refusedAfter.Select(t => $"{t.TotalMilliseconds:0} ms"))}.");
        Assert.All(refusedAfter, elapsed => Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.TotalMilliseconds:0} ms"));
    }

    [Fact]
    public async Task A_deleted_application_is_refused_by_every_instance_within_a_second()
    {
        var application = await ApplicationWithLimitsAsync(applicationOnly: Application.MaxRateLimit);

        // Deleted with the application service over the shared database, as one instance's UI does it; the others follow the change feed.
        await cluster.UseAsync<ApplicationService>(applications => applications.DeleteAsync(AppCluster.Admin, application.Id));
        var refusedAfter = await UntilEveryInstanceRefusesAsync(() => Check(application), HttpStatusCode.Forbidden, 204);

        output.WriteLine($"A deleted application's keys were refused by the instances after {string.Join(", ", refusedAfter.Select(t => $"{t.TotalMilliseconds:0} ms"))}.");
        Assert.All(refusedAfter, elapsed => Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.TotalMilliseconds:0} ms"));
    }

    [Fact]
    public async Task A_session_opened_on_one_instance_works_on_the_others_and_a_view_changed_on_one_is_seen_by_all_within_a_second()
    {
        var application = await cluster.CreateApplicationAsync();
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid);
        var (first, second, third) = (cluster.Clients[0], cluster.Clients[1], cluster.Clients[2]);

        var (token, sessionId) = await OpenSessionAsync(first, application);
        foreach (var client in new[] { second, third, first })
        {
            var check = await client.SendAsync(BearerCheck(token));
            Assert.Equal(HttpStatusCode.OK, check.StatusCode);
            Assert.Equal(sessionId.ToString(), check.HeaderValue("X-ControlPanel-Session"));
            Assert.Equal("default", check.HeaderValue("X-ControlPanel-View"));
        }

        // The view is added to the application's list first; the instance answering the change follows within a second.
        await cluster.UseAsync<ApplicationViews>(views => views.AddAsync(AppCluster.Admin, application.Id, new() { Name = "support desk" }));
        var changed = HttpStatusCode.OK;
        await Eventually.TrueAsync(async () =>
        {
            using var answer = await second.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/v1/session/view") { Content = JsonContent.Create(new { view = "support desk" }) }.Bearer(token));
            return (changed = answer.StatusCode) == HttpStatusCode.OK;
        }, () => $"the second instance to take the new view (it answered {changed})", TimeSpan.FromSeconds(5));
        var viewChanged = Stopwatch.StartNew();
        var seenAfter = await Task.WhenAll(new[] { first, third }.Select(async client =>
        {
            await Eventually.TrueAsync(async () =>
            {
                using var check = await client.SendAsync(BearerCheck(token));
                Assert.Equal(HttpStatusCode.OK, check.StatusCode);
                return check.HeaderValue("X-ControlPanel-View") == "support desk";
            }, "the new view on every instance", TimeSpan.FromSeconds(5));
            return viewChanged.Elapsed;
        }));

        output.WriteLine($"A view changed on the second instance was seen by the first and third after {string.Join(", ", seenAfter.Select(t => $"{t.TotalMilliseconds:0} ms"))}.");
        Assert.All(seenAfter, elapsed => Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.TotalMilliseconds:0} ms"));
    }

    [Fact]
    public async Task A_per_session_rate_limit_is_exact_over_three_instances_called_in_turn()
    {
        var application = await ApplicationWithLimitsAsync(applicationOnly: Application.MaxRateLimit, perUser: RateLimit);
        var (token, _) = await OpenSessionAsync(cluster.Clients[0], application);
        await AppCluster.WaitForRoomInTheMinuteAsync();

        var answers = new List<HttpResponseMessage>();
        for (var call = 0; call < 2 * RateLimit; call++)
            answers.Add(await cluster.Clients[call % cluster.Clients.Count].SendAsync(BearerCheck(token)));

        await AppCluster.AssertExactlyAsync(answers, RateLimit, HttpStatusCode.TooManyRequests, 158);
        Assert.All(answers, a => Assert.Equal(RateLimit.ToString(), a.HeaderValue("X-RateLimit-Limit")));
    }

    [Fact]
    public async Task Two_resources_of_one_application_each_get_their_own_window_exact_over_three_instances_and_a_catalogue_change_is_everywhere_within_a_second()
    {
        var application = await cluster.CreateApplicationAsync();
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid);
        var chats = await cluster.UseAsync<ResourceService, Guid>(resources => resources.CreateAsync(AppCluster.Admin,
            new ResourceService.Form { Method = "GET", Path = "/v1/cluster-chats/{id}", LiveApplicationOnly = RateLimit }));
        var added = Stopwatch.StartNew();
        var seenAfter = await EveryInstanceNamesAsync(application, "GET", "/v1/cluster-chats/7", "GET /v1/cluster-chats/{id}", RateLimit, added);
        output.WriteLine($"A resource added was in force on the instances after {string.Join(", ", seenAfter.Select(t => $"{t.TotalMilliseconds:0} ms"))}.");
        Assert.All(seenAfter, elapsed => Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.TotalMilliseconds:0} ms"));
        await cluster.UseAsync<ResourceService, Guid>(resources => resources.CreateAsync(AppCluster.Admin,
            new ResourceService.Form { Method = "POST", Path = "/v1/cluster-messages", LiveApplicationOnly = RateLimit / 2 }));
        await EveryInstanceNamesAsync(application, "POST", "/v1/cluster-messages", "POST /v1/cluster-messages", RateLimit / 2, Stopwatch.StartNew());
        await AppCluster.WaitForRoomInTheMinuteAsync();

        HttpRequestMessage Call(string method, string path) => Check(application).Header("X-Forwarded-Method", method).Header("X-Forwarded-Uri", path);
        var chatAnswers = new List<HttpResponseMessage>();
        var messageAnswers = new List<HttpResponseMessage>();
        for (var call = 0; call < 2 * RateLimit; call++)
        {
            chatAnswers.Add(await cluster.Clients[call % cluster.Clients.Count].SendAsync(Call("GET", $"/v1/cluster-chats/{call}")));
            messageAnswers.Add(await cluster.Clients[(call + 1) % cluster.Clients.Count].SendAsync(Call("POST", "/v1/cluster-messages")));
        }

        await AppCluster.AssertExactlyAsync(chatAnswers, RateLimit, HttpStatusCode.TooManyRequests, 158);
        await AppCluster.AssertExactlyAsync(messageAnswers, RateLimit / 2, HttpStatusCode.TooManyRequests, 158);
        Assert.All(messageAnswers, a => Assert.Equal((RateLimit / 2).ToString(), a.HeaderValue("X-RateLimit-Limit")));
        // The default resource's window is untouched by both.
        var other = await cluster.Clients[0].SendAsync(Check(application));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("99", other.HeaderValue("X-RateLimit-Remaining"));

        // A changed limit is in force everywhere within a second too.
        await cluster.UseAsync<ResourceService>(resources => resources.UpdateAsync(AppCluster.Admin, chats,
            new ResourceService.Form { Method = "GET", Path = "/v1/cluster-chats/{id}", LiveApplicationOnly = 2 * RateLimit }));
        var changed = Stopwatch.StartNew();
        seenAfter = await EveryInstanceNamesAsync(application, "GET", "/v1/cluster-chats/7", "GET /v1/cluster-chats/{id}", 2 * RateLimit, changed);
        output.WriteLine($"A resource's new limit was in force on the instances after {string.Join(", ", seenAfter.Select(t => $"{t.TotalMilliseconds:0} ms"))}.");
        Assert.All(seenAfter, elapsed => Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.TotalMilliseconds:0} ms"));
    }

    [Fact]
    public async Task A_session_ended_on_one_instance_answers_113_on_every_instance_within_a_second()
    {
        var application = await cluster.CreateApplicationAsync();
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid);
        var (token, sessionId) = await OpenSessionAsync(cluster.Clients[0], application);
        // Every instance holds the session, as it does once it served a call with it.
        foreach (var client in cluster.Clients) Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(BearerCheck(token))).StatusCode);

        await cluster.UseAsync<SessionHistory>(sessions => sessions.EndAsync(AppCluster.Admin, application.Id, sessionId));
        var refusedAfter = await UntilEveryInstanceRefusesAsync(() => BearerCheck(token), HttpStatusCode.Unauthorized, 113);
        output.WriteLine($"An ended session was refused by the instances after {string.Join(", ", refusedAfter.Select(t => $"{t.TotalMilliseconds:0} ms"))}.");
        Assert.All(refusedAfter, elapsed => Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.TotalMilliseconds:0} ms"));
    }

    /// <summary>
    /// Sends <paramref name="call"/> to every instance at once and over and over (so each one's own delay is measured) until it
    /// answers the refusal; answers how long each took (up to 5 s, then the assertion on the time fails).
    /// </summary>
    private async Task<TimeSpan[]> UntilEveryInstanceRefusesAsync(Func<HttpRequestMessage> call, HttpStatusCode status, int code)
    {
        var since = Stopwatch.StartNew();
        return await Task.WhenAll(cluster.Clients.Select(async client =>
        {
            await Eventually.TrueAsync(async () =>
            {
                using var response = await client.SendAsync(call());
                if (response.StatusCode != status)
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return false;
                }
                await response.AssertErrorAsync(status, code);
                return true;
            }, $"every instance to answer {(int)status}", TimeSpan.FromSeconds(5));
            return since.Elapsed;
        }));
    }

    /// <summary>
    /// Asks every instance at once, over and over, which resource <paramref name="method"/> <paramref name="path"/> is, until
    /// each names <paramref name="title"/> with <paramref name="limit"/>; answers how long each took. The probe is not
    /// counted and comes from its own client address, so it uses up none of the windows under test.
    /// </summary>
    private async Task<TimeSpan[]> EveryInstanceNamesAsync(ControlPanelFactory.TestApplication application, string method, string path, string title, int limit, Stopwatch since)
    {
        var probe = new VerifyRequest(application.ApplicationKey, application.ConsumerKey, ClientIp: "192.0.2.251", Counted: false, Method: method, Path: path);
        return await Task.WhenAll(cluster.Clients.Select(async client =>
        {
            VerifyResponse? answer = null;
            await Eventually.TrueAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify") { Content = JsonContent.Create(probe) }
                    .Header("X-ControlPanel-Gateway-Secret", ApiRequests.GatewaySecret);
                using var response = await client.SendAsync(request);
                answer = await response.Content.ReadFromJsonAsync<VerifyResponse>();
                return answer is { Resource: var named, RateLimit.Limit: var current } && named == title && current == limit;
            }, () => $"every instance to name {title} with {limit}; still {System.Text.Json.JsonSerializer.Serialize(answer)}", TimeSpan.FromSeconds(10));
            return since.Elapsed;
        }));
    }

    /// <summary>A new application with rate-limit overrides, once every instance has them.</summary>
    private async Task<ControlPanelFactory.TestApplication> ApplicationWithLimitsAsync(int applicationOnly, int? perUser = null)
    {
        var application = await cluster.CreateApplicationAsync();
        await cluster.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(AppCluster.Admin, application.Id, applicationOnly, perUser));
        // Both limits arrive in one change: an instance that reports the application-only one has the per-user one too.
        await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid && answer.RateLimit.Limit == applicationOnly);
        return application;
    }

    private static async Task<(string Token, Guid SessionId)> OpenSessionAsync(HttpClient client, ControlPanelFactory.TestApplication application)
    {
        var response = await client.SendAsync(Check(application, path: "/api/v1/session").WithMethod(HttpMethod.Post));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.ReadJsonAsync();
        return (json.GetProperty("token").GetString()!, json.GetProperty("sessionId").GetGuid());
    }

    private static HttpRequestMessage BearerCheck(string token) => new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(token);
}
