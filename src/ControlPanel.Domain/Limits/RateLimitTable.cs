using ControlPanel.Domain.Applications;

namespace ControlPanel.Domain.Limits;

/// <summary>
/// The default rate limits from the SYNAPPS guide. Application-only calls are limited per
/// client IP; per-user calls are limited per session (access token).
/// </summary>
public static class RateLimitTable
{
    /// <summary>Every limit in the table counts calls over one minute.</summary>
    public static TimeSpan Window { get; } = TimeSpan.FromMinutes(1);

    /// <summary>Calls per minute per client IP for application-only authentication.</summary>
    public static int ApplicationOnly(ApplicationEnvironment environment) => environment switch
    {
        ApplicationEnvironment.Development => 100,
        ApplicationEnvironment.Staging => 100,
        ApplicationEnvironment.Live => 100,
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown environment."),
    };

    /// <summary>Calls per minute per session for per-user (Bearer token) authentication.</summary>
    public static int PerUser(ApplicationEnvironment environment) => environment switch
    {
        ApplicationEnvironment.Development => 600,
        ApplicationEnvironment.Staging => 600,
        ApplicationEnvironment.Live => 1200,
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown environment."),
    };

    /// <summary>The guide's <c>extraInfo</c> text for a 429 response, with the limit that was hit.</summary>
    public static string ExceededMessage(int limit) =>
        $"The one-minute API limit of {limit} requests has been exceeded. Please wait 60 seconds before attempting again. You are currently being throttled.";
}
