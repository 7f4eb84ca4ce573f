using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Domain.Errors;

namespace ControlPanel.Web.Api;

/// <summary>The body of <c>POST /api/v1/verify</c>.</summary>
/// <param name="ApplicationKey">The client's APPLICATIONKEY.</param>
/// <param name="ConsumerKey">The client's CONSUMERKEY.</param>
/// <param name="Token">The client's session token (Bearer), when it sent one.</param>
/// <param name="ClientIp">The client's address; believed only from a trusted proxy.</param>
/// <param name="Origin">The client's Origin header; believed only from a trusted proxy.</param>
/// <param name="Counted">False when the call does not count towards the quota; believed only from a trusted proxy.</param>
/// <param name="SessionRequired">True when the resource needs a session (194 without a token); the older way, the catalogue says it per resource.</param>
/// <param name="Method">The client call's method (GET, POST...): with <paramref name="Path"/>, names the resource whose rules and window apply.</param>
/// <param name="Path">The client call's path (a query is ignored); without it the call is the default resource's.</param>
public sealed record VerifyRequest(
    string? ApplicationKey, string? ConsumerKey, string? Token = null, string? ClientIp = null,
    string? Origin = null, bool? Counted = null, bool? SessionRequired = null, string? Method = null, string? Path = null);

/// <param name="Resource">The resource the call was taken for, as the catalogue names it ("GET /v1/chats/{id}").</param>
public sealed record VerifyResponse(
    bool Valid, int Code, string Description, string ExtraInfo,
    ApplicationSummary? Application, string? Environment, SessionSummary? Session,
    QuotaSummary? Quota, RateLimitSummary RateLimit, string Resource);

public sealed record ApplicationSummary(Guid Id, string Name);

public sealed record SessionSummary(Guid Id, string View, DateTime ExpiresAt);

/// <param name="Limit">Counted calls included this month.</param>
/// <param name="OverrunAllowance">Calls allowed beyond the quota.</param>
/// <param name="Used">Counted calls so far this month.</param>
/// <param name="Remaining">Calls left before the quota (not the allowance) is used up.</param>
/// <param name="Reset">The first instant of next month, UTC.</param>
public sealed record QuotaSummary(long Limit, long OverrunAllowance, long Used, long Remaining, DateTime Reset);

/// <param name="Reset">When the window resets, in Unix seconds (as X-RateLimit-Reset).</param>
public sealed record RateLimitSummary(int Limit, int Remaining, long Reset);

/// <summary>The answer of <c>POST /api/v1/session</c>: the token is shown this once.</summary>
public sealed record SessionCreated(Guid SessionId, string Token, string TokenType, DateTime ExpiresAt, int ExpiresIn, string View);

public sealed record ViewChange(string? View);

public sealed record SessionView(Guid SessionId, string View, DateTime ExpiresAt);

/// <summary>One row of <c>GET /api/v1/helper/error</c>, the seed's error table.</summary>
/// <param name="HttpStatus">The guide's HTTP status for the code.</param>
/// <param name="AnsweredStatus">The status this API answers with the code: the guide's, except that a refusal is never 2xx (see <see cref="ApiError.RefusalStatus"/>).</param>
public sealed record ErrorRow(int Code, string Severity, string Description, int HttpStatus, int AnsweredStatus);

/// <summary>One row of <c>GET /api/v1/helper/channels</c>, the seed's channel table.</summary>
public sealed record ChannelRow(int Number, string Description, string Status);

/// <summary>The body of <c>POST /api/v1/webhooks/events</c>, in the platform's snake_case.</summary>
/// <param name="EventName">chat_ended or offline_message.</param>
/// <param name="Data">The event's data, a JSON object, delivered to the account's endpoints as sent.</param>
public sealed record PlatformEvent(
    [property: JsonPropertyName("event_name")] string EventName,
    [property: JsonPropertyName("data")] JsonElement Data);

/// <summary>The answer (202) of <c>POST /api/v1/webhooks/events</c>.</summary>
/// <param name="EventId">The stored event's id; null when nothing was stored.</param>
/// <param name="Info">Why nothing was stored ("no subscriber"); left out when the event was stored.</param>
public sealed record EventAccepted(
    [property: JsonPropertyName("event_id")] Guid? EventId,
    [property: JsonPropertyName("info"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Info = null);

/// <summary>Source-generated JSON for the API's bodies: no reflection on the request path. Times are written with <c>Z</c>
/// (UtcDateTimeJsonConverter), as the other answers are through ConfigureHttpJsonOptions, which this context does not see.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never, Converters = [typeof(UtcDateTimeJsonConverter)])]
[JsonSerializable(typeof(ApiErrorBody))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(VerifyResponse))]
[JsonSerializable(typeof(SessionCreated))]
[JsonSerializable(typeof(ViewChange))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(ErrorRow[]))]
[JsonSerializable(typeof(ChannelRow[]))]
[JsonSerializable(typeof(ApplicationRequest))]
[JsonSerializable(typeof(RotateRequest))]
[JsonSerializable(typeof(AllowlistRequest))]
[JsonSerializable(typeof(WebhookEndpointRequest))]
[JsonSerializable(typeof(EventAccepted))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(UsageApi.UsageJson))]
[JsonSerializable(typeof(StaffRoleRequest))]
internal sealed partial class ApiJson : JsonSerializerContext;
