using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Web.Api;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Requests;

/// <summary>
/// The key-validation answers are written through the source-generated ApiJson context, not the host's JSON options:
/// their times must say they are UTC (ISO 8601 with Z) like every other answer and like webhook bodies.
/// </summary>
public sealed class ApiTimesTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    private static readonly Regex UtcTime = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$");
    private readonly HttpClient client = factory.CreateApiClient();

    [Fact]
    public async Task A_session_answers_its_expiry_in_utc_with_Z()
    {
        var application = await factory.CreateApplicationAsync();

        var response = await client.SendAsync(Check(application, KeyStyle.Headers, "/api/v1/session").WithMethod(HttpMethod.Post));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var expiresAt = (await response.ReadJsonAsync()).GetProperty("expiresAt").GetString()!;
        Assert.Matches(UtcTime, expiresAt);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddHours(2),
            DateTime.Parse(expiresAt, null, System.Globalization.DateTimeStyles.AdjustToUniversal), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_verify_answer_gives_the_quota_reset_in_utc_with_Z()
    {
        var application = await factory.CreateApplicationAsync();

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify")
        {
            Content = JsonContent.Create(new { applicationKey = application.ApplicationKey, consumerKey = application.ConsumerKey }),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reset = (await response.ReadJsonAsync()).GetProperty("quota").GetProperty("reset").GetString()!;
        Assert.Matches(UtcTime, reset);
        // The quota resets at the start of the next calendar month (UTC).
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1),
            DateTime.Parse(reset, null, System.Globalization.DateTimeStyles.AdjustToUniversal));
    }

    [Fact]
    public void The_answers_context_writes_a_time_read_back_without_a_kind_with_Z()
    {
        // Times read from the database have no kind (SQLite stores no zone); written as they are they would have no zone at all.
        var readBack = new DateTime(2026, 12, 7, 12, 27, 53, 330, DateTimeKind.Unspecified);

        var json = JsonSerializer.Serialize(new SessionView(Guid.Empty, "default", readBack), ApiJson.Default.SessionView);

        Assert.Contains("\"expiresAt\":\"2026-12-07T12:27:53.33Z\"", json);
        var quota = JsonSerializer.Serialize(new QuotaSummary(10, 0, 1, 9, readBack.AddDays(25)), ApiJson.Default.QuotaSummary);
        Assert.Contains("\"reset\":\"2027-01-01T12:27:53.33Z\"", quota);
    }
}
