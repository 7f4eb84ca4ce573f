using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ControlPanel.Domain.Requests;
using Microsoft.AspNetCore.Http.Features;

namespace ControlPanel.Web.Api;

/// <summary>
/// How the API reads a request body: through <see cref="BoundedBody"/>, the one body-size rule, with the limit as a parameter
/// (<see cref="MaxJsonBytes"/> for the API's own JSON bodies, Webhooks:MaxEventBodyBytes for the platform's events).
/// </summary>
public static class ApiBody
{
    /// <summary>A verify, view or management body is a few hundred bytes; anything far larger is refused unread.</summary>
    public const int MaxJsonBytes = 16 * 1024;

    /// <summary>
    /// Tells Kestrel the limit too (one byte over it, which <see cref="BoundedBody"/> reads to tell "too large"), so a huge
    /// body left unread makes it close the connection rather than drain the body. Call before anything reads the body.
    /// </summary>
    public static void Limit(HttpContext context, int maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes + 1L;
    }

    /// <summary>The JSON body, or null when it is larger than <paramref name="maxBytes"/> or not the expected shape; a missing body is <paramref name="emptyAs"/>.</summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type, T? emptyAs = null, int maxBytes = MaxJsonBytes) where T : class
    {
        Limit(context, maxBytes);
        using var body = await BoundedBody.ReadAsync(context.Request.Body, context.Request.ContentLength, maxBytes, context.RequestAborted);
        if (body is null) return null;
        if (body.Length == 0) return emptyAs;
        try
        {
            return JsonSerializer.Deserialize(body.Bytes.Span, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
