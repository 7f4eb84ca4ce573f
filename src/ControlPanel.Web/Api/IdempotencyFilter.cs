using System.Text;
using System.Text.Json;
using ControlPanel.Domain.Idempotency;
using ControlPanel.Domain.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// Safe retries for a management write that opts in with <see cref="WithIdempotency{T}"/>: sent with an Idempotency-Key, it
/// runs at most once per access token and key (<see cref="IdempotentRequests"/>). A retry of the same request (method, path
/// and JSON body) gets the first answer again, marked as replayed; another request under the same key, or one while the first
/// is under way, answers 117. A refused call keeps nothing, so a corrected retry may use the key. Without the header the
/// endpoint runs as usual.
/// </summary>
public static class IdempotencyFilter
{
    public const string Header = "Idempotency-Key";

    /// <param name="what">The write, as the refusals name it ("rotation").</param>
    /// <param name="replayed">The answer as a replay gives it (its <c>replayed</c> flag set).</param>
    public static RouteHandlerBuilder WithIdempotency<T>(this RouteHandlerBuilder endpoint, string what, Func<T, T> replayed) where T : class
    {
        endpoint.AddEndpointFilter((invocation, next) => RunOnceAsync(invocation, next, what, replayed));
        return endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Header,
                In = ParameterLocation.Header,
                Description = $"Up to {IdempotentRequests.MaxKeyLength} characters: a retry with the same key and request answers the first answer again " +
                    "(for AccessTokens:IdempotencyWindow) instead of writing twice.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });
    }

    /// <summary>What is kept (encrypted) of a successful answer: enough to give it again.</summary>
    private sealed record KeptAnswer(int Status, string? Location, JsonElement Body);

    private static async ValueTask<object?> RunOnceAsync<T>(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, string what, Func<T, T> replayed)
        where T : class
    {
        var http = invocation.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var key)) return await next(invocation);
        // A body too large to keep is refused by the endpoint itself, which writes nothing.
        if (await RequestTextAsync(http) is not { } request) return await next(invocation);

        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        object? answered = null;
        var result = await http.RequestServices.GetRequiredService<IdempotentRequests>().RunOnceAsync(
            ManagementApi.TokenUse(http).TokenId, key.ToString(), request, what, async () =>
            {
                answered = await next(invocation);
                if (answered is not IStatusCodeHttpResult { StatusCode: >= 200 and < 300 and var status }) return null;
                if (answered is not IValueHttpResult { Value: T value })
                    throw new InvalidOperationException($"An idempotent endpoint answers a {typeof(T).Name}.");
                return JsonSerializer.Serialize(new KeptAnswer(status, LocationOf<T>(answered), JsonSerializer.SerializeToElement(value, json)), json);
            });
        if (result is not { Replayed: true }) return answered;

        var kept = JsonSerializer.Deserialize<KeptAnswer>(result.Answer, json)!;
        var body = replayed(kept.Body.Deserialize<T>(json)!);
        return kept.Status switch
        {
            StatusCodes.Status201Created => TypedResults.Created(kept.Location, body),
            StatusCodes.Status202Accepted => TypedResults.Accepted(kept.Location, body),
            _ => TypedResults.Json(body, json, statusCode: kept.Status),
        };
    }

    private static string? LocationOf<T>(object answer) => answer switch
    {
        Created<T> created => created.Location,
        Accepted<T> accepted => accepted.Location,
        _ => null,
    };

    /// <summary>
    /// The request as <see cref="IdempotentRequests"/> compares it: method, path and the JSON body without its layout (a retry
    /// may indent differently); null when the body is over <see cref="ApiBody.MaxJsonBytes"/>. The body stays readable.
    /// </summary>
    private static async Task<string?> RequestTextAsync(HttpContext http)
    {
        ApiBody.Limit(http, ApiBody.MaxJsonBytes);
        http.Request.EnableBuffering();
        string text;
        using (var body = await BoundedBody.ReadAsync(http.Request.Body, http.Request.ContentLength, ApiBody.MaxJsonBytes, http.RequestAborted))
        {
            http.Request.Body.Position = 0;
            if (body is null) return null;
            text = Canonical(body.Bytes);
        }
        return $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n{text}";
    }

    private static string Canonical(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return "";
        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(body.Span);
        }
    }
}
