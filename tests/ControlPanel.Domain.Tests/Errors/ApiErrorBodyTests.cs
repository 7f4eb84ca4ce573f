using System.Text.Json;
using ControlPanel.Domain.Errors;

namespace ControlPanel.Domain.Tests.Errors;

public class ApiErrorBodyTests
{
    private const string GuideRateLimitBody =
        """{"Error":158,"Description":"RATE LIMIT EXCEEDED","extraInfo":"The one-minute API limit of 100 requests has been exceeded. Please wait 60 seconds before attempting again. You are currently being throttled."}""";

    [Fact]
    public void Rate_limit_body_serialises_exactly_as_the_guides_example()
    {
        string json = JsonSerializer.Serialize(ApiErrorBody.RateLimitExceeded(100));

        Assert.Equal(GuideRateLimitBody, json);
    }

    [Fact]
    public void Property_names_survive_a_camel_case_naming_policy()
    {
        // ASP.NET Core serialises with the web defaults (camelCase); the guide's names must win.
        string json = JsonSerializer.Serialize(ApiErrorBody.RateLimitExceeded(100), JsonSerializerOptions.Web);

        Assert.Equal(GuideRateLimitBody, json);
    }

    [Fact]
    public void For_copies_code_and_description_and_the_extra_information()
    {
        var body = ApiErrorBody.For(ErrorCatalogue.BadOriginIp, "Origin https://evil.example is not allowed.");

        Assert.Equal(111, body.Error);
        Assert.Equal("BAD ORIGIN IP", body.Description);
        Assert.Equal("Origin https://evil.example is not allowed.", body.ExtraInfo);
    }

    [Fact]
    public void Missing_extra_information_is_an_empty_string_not_null()
    {
        string json = JsonSerializer.Serialize(ApiErrorBody.For(ErrorCatalogue.MissingApplicationKey));

        Assert.Equal("""{"Error":201,"Description":"MISSING APPLICATION KEY","extraInfo":""}""", json);
    }

    [Fact]
    public void Rate_limit_body_substitutes_the_limit()
    {
        var body = ApiErrorBody.RateLimitExceeded(1200);

        Assert.Equal(158, body.Error);
        Assert.StartsWith("The one-minute API limit of 1200 requests has been exceeded.", body.ExtraInfo);
    }

    [Fact]
    public void Body_round_trips_through_json()
    {
        var body = ApiErrorBody.For(ErrorCatalogue.TokenExpired, "Sessions last 2 hours.");

        var read = JsonSerializer.Deserialize<ApiErrorBody>(JsonSerializer.Serialize(body));

        Assert.Equal(body, read);
    }

    [Fact]
    public void For_rejects_a_null_error()
    {
        Assert.Throws<ArgumentNullException>(() => ApiErrorBody.For(null!));
    }
}
