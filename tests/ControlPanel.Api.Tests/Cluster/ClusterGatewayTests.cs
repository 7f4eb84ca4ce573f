using System.Net;
using ControlPanel.Domain.Applications;
using ControlPanel.Tests;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Cluster;

/// <summary>
/// Gateway mode on two instances sharing one PostgreSQL database, each proxying to the same upstream: the check runs in
/// each process, and the limits it keeps are still exact over both, so only the allowed calls reach the upstream.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterGatewayTests
{
    private const int RateLimit = 30;

    private sealed class TwoGateways(IReadOnlyDictionary<string, string> settings) : AppCluster(2, settings);

    [Fact]
    public async Task A_rate_limit_is_exact_over_two_gateway_instances_called_in_turn()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var cluster = new TwoGateways(new Dictionary<string, string>
        {
            ["ReverseProxy:Routes:api:ClusterId"] = "api",
            ["ReverseProxy:Routes:api:Match:Path"] = "/v1/{**rest}",
            ["ReverseProxy:Clusters:api:Destinations:one:Address"] = upstream.Url,
        });
        await cluster.InitializeAsync();
        try
        {
            var application = await cluster.CreateApplicationAsync();
            await cluster.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(AppCluster.Admin, application.Id, RateLimit, null));
            await cluster.WaitUntilEveryInstanceSeesAsync(application, answer => answer.Valid && answer.RateLimit.Limit == RateLimit);
            await AppCluster.WaitForRoomInTheMinuteAsync();

            var answers = new List<HttpResponseMessage>();
            for (var call = 0; call < 2 * RateLimit; call++)
                answers.Add(await cluster.Clients[call % cluster.Clients.Count].SendAsync(Check(application, path: "/v1/chats/42")));

            await AppCluster.AssertExactlyAsync(answers, RateLimit, HttpStatusCode.TooManyRequests, 158);
            foreach (var allowed in answers.Where(a => a.StatusCode == HttpStatusCode.OK))
                Assert.Equal("upstream ok", await allowed.Content.ReadAsStringAsync());
            // Nothing refused reached the upstream.
            Assert.Equal(RateLimit, upstream.Requests.Count(r => r.Path == "/v1/chats/42"));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

}
