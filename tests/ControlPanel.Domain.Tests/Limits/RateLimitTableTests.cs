using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Limits;

namespace ControlPanel.Domain.Tests.Limits;

public class RateLimitTableTests
{
    [Theory]
    [InlineData(ApplicationEnvironment.Development, 100, 600)]
    [InlineData(ApplicationEnvironment.Staging, 100, 600)]
    [InlineData(ApplicationEnvironment.Live, 100, 1200)]
    public void Limits_match_the_guides_table(ApplicationEnvironment environment, int applicationOnly, int perUser)
    {
        Assert.Equal(applicationOnly, RateLimitTable.ApplicationOnly(environment));
        Assert.Equal(perUser, RateLimitTable.PerUser(environment));
    }

    [Fact]
    public void Window_is_one_minute()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), RateLimitTable.Window);
    }

    [Fact]
    public void Unknown_environment_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RateLimitTable.ApplicationOnly((ApplicationEnvironment)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => RateLimitTable.PerUser((ApplicationEnvironment)42));
    }

    [Fact]
    public void Exceeded_message_is_the_guides_wording()
    {
        Assert.Equal(
            "The one-minute API limit of 100 requests has been exceeded. Please wait 60 seconds before attempting again. You are currently being throttled.",
            RateLimitTable.ExceededMessage(100));
    }

    [Fact]
    public void Exceeded_message_names_the_limit_that_was_hit()
    {
        Assert.Equal(
            "The one-minute API limit of 600 requests has been exceeded. Please wait 60 seconds before attempting again. You are currently being throttled.",
            RateLimitTable.ExceededMessage(600));
    }

    [Fact]
    public void Header_names_match_the_subiz_guide()
    {
        Assert.Equal("X-RateLimit-Limit", RateLimitHeaders.Limit);
        Assert.Equal("X-RateLimit-Remaining", RateLimitHeaders.Remaining);
        Assert.Equal("X-RateLimit-Reset", RateLimitHeaders.Reset);
    }
}
