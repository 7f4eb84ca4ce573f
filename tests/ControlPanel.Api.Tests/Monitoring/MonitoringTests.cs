using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Domain.Applications;
using ControlPanel.Tests;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Monitoring;

/// <summary>
/// The Prometheus endpoint counts the checks the app answered, and answers only the addresses Monitoring:ScrapeFrom names.
/// The meter is the process's, shared with the other tests running beside this one, so counts are compared as "at least".
/// </summary>
public sealed partial class MonitoringTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_scrape_endpoint_counts_decisions_by_code_and_environment_and_times_the_check()
    {
        var application = await factory.CreateApplicationAsync(ApplicationEnvironment.Staging);
        var client = factory.CreateApiClient();
        var before = await ScrapeAsync(client);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Check(application).From(Gateway))).StatusCode);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Check(KeyStyle.Headers, new string('a', 32), new string('b', 32)).From(Gateway))).StatusCode);

        // The exporter may answer from a short cache: read until this test's calls show.
        var after = "";
        await Eventually.TrueAsync(async () =>
        {
            after = await ScrapeAsync(client);
            return Sum(after, "controlpanel_check_decisions_total", "code=\"0\"", "environment=\"Staging\"")
                >= Sum(before, "controlpanel_check_decisions_total", "code=\"0\"", "environment=\"Staging\"") + 3;
        }, () => $"this test's three allowed checks in the metrics:\n{after}", TimeSpan.FromSeconds(10));
        // Unknown keys: the application (and so its environment) is not known.
        Assert.True(Sum(after, "controlpanel_check_decisions_total", "environment=\"unknown\"")
            >= Sum(before, "controlpanel_check_decisions_total", "environment=\"unknown\"") + 2, after);
        Assert.True(Sum(after, "controlpanel_check_duration_seconds_count") >= Sum(before, "controlpanel_check_duration_seconds_count") + 5, after);
        Assert.Contains("# TYPE controlpanel_check_duration_seconds histogram", after);
    }

    [Theory]
    [InlineData("192.0.2.10", null)]
    [InlineData(Gateway, "203.0.113.9")] // through a trusted proxy the forwarded client counts, not the proxy on loopback
    public async Task Nobody_else_reads_the_metrics(string connection, string? forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics").From(connection);
        if (forwardedFor is not null) request.Header("X-Forwarded-For", forwardedFor);
        var response = await factory.CreateApiClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("controlpanel_", await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics").From(Gateway));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels contain every one of <paramref name="labels"/>.</summary>
    private static double Sum(string scrape, string metric, params string[] labels) =>
        Sample().Matches(scrape)
            .Where(m => m.Groups["name"].Value == metric && labels.All(m.Groups["labels"].Value.Contains))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
