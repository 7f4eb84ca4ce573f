using System.Text.Json.Serialization;
using ControlPanel.Domain.Limits;

namespace ControlPanel.Domain.Errors;

/// <summary>
/// The JSON body of every error response, shaped as the guide's 429 example:
/// <c>{"Error": 158, "Description": "RATE LIMIT EXCEEDED", "extraInfo": "..."}</c>.
/// </summary>
/// <remarks>
/// The names are pinned with <see cref="JsonPropertyNameAttribute"/> because the guide mixes
/// PascalCase and camelCase, which no naming policy reproduces.
/// </remarks>
public sealed record ApiErrorBody(
    [property: JsonPropertyName("Error")] int Error,
    [property: JsonPropertyName("Description")] string Description,
    [property: JsonPropertyName("extraInfo")] string ExtraInfo)
{
    /// <summary>
    /// The body for <paramref name="error"/>. Without extra information <c>extraInfo</c> is an
    /// empty string rather than null, so clients always find a string there.
    /// </summary>
    public static ApiErrorBody For(ApiError error, string? extraInfo = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ApiErrorBody(error.Code, error.Description, extraInfo ?? string.Empty);
    }

    /// <summary>The guide's 429 body (error 158) for a one-minute limit of <paramref name="limit"/> requests.</summary>
    public static ApiErrorBody RateLimitExceeded(int limit) =>
        For(ErrorCatalogue.RateLimitExceeded, RateLimitTable.ExceededMessage(limit));
}
