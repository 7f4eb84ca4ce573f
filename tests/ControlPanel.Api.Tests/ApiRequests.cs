using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ControlPanel.Api.Tests;

/// <summary>How a test sends keys: the SYNAPPS headers or HTTP Basic.</summary>
public enum KeyStyle { Headers, Basic }

/// <summary>Building and reading key-validation calls.</summary>
public static class ApiRequests
{
    public const string Gateway = "127.0.0.1"; // trusted by default (appsettings.json)
    public const string Stranger = "192.0.2.10";
    /// <summary>The Api:GatewaySecret the test app is configured with.</summary>
    public const string GatewaySecret = "test-gateway-secret-0123456789abcdef";

    public static HttpRequestMessage Check(KeyStyle style, string? applicationKey, string? consumerKey, string path = "/api/v1/check", HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (style == KeyStyle.Headers)
        {
            if (applicationKey is not null) request.Headers.TryAddWithoutValidation("APPLICATIONKEY", applicationKey);
            if (consumerKey is not null) request.Headers.TryAddWithoutValidation("CONSUMERKEY", consumerKey);
        }
        else if (applicationKey is not null || consumerKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.ASCII.GetBytes($"{applicationKey}:{consumerKey}")));
        }
        return request;
    }

    public static HttpRequestMessage Check(ControlPanelFactory.TestApplication application, KeyStyle style = KeyStyle.Headers, string path = "/api/v1/check") =>
        Check(style, application.ApplicationKey, application.ConsumerKey, path);

    public static HttpRequestMessage From(this HttpRequestMessage request, string connectionIp)
    {
        request.Headers.TryAddWithoutValidation(ControlPanelFactory.ConnectionIpHeader, connectionIp);
        return request;
    }

    public static HttpRequestMessage Header(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>What a gateway sends for a resource that does not count towards the quota: the counted header and its secret.</summary>
    public static HttpRequestMessage Uncounted(this HttpRequestMessage request, string secret = GatewaySecret) =>
        request.Header("X-ControlPanel-Counted", "false").Header("X-ControlPanel-Gateway-Secret", secret);

    public static HttpRequestMessage WithMethod(this HttpRequestMessage request, HttpMethod method)
    {
        request.Method = method;
        return request;
    }

    public static HttpRequestMessage Bearer(this HttpRequestMessage request, string token)
    {
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return request;
    }

    public sealed record ErrorBody(int Error, string Description, string ExtraInfo);

    /// <summary>Reads the error body, checking it has exactly the seed's three fields.</summary>
    public static async Task<ErrorBody> ReadErrorAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["Error", "Description", "extraInfo"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var root = json.RootElement;
        return new ErrorBody(root.GetProperty("Error").GetInt32(), root.GetProperty("Description").GetString()!, root.GetProperty("extraInfo").GetString()!);
    }

    public static async Task AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, int code)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.ReadErrorAsync();
        Assert.Equal(code, body.Error);
        Assert.Equal(ControlPanel.Domain.Errors.ErrorCatalogue.Get(code).Description, body.Description);
        AssertRateLimitHeaders(response);
    }

    /// <summary>An error about the call itself (not a key decision): the seed's body, no rate-limit headers required.</summary>
    public static async Task AssertBodyAsync(this HttpResponseMessage response, HttpStatusCode status, int code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.ReadErrorAsync()).Error);
    }

    public static void AssertRateLimitHeaders(HttpResponseMessage response)
    {
        foreach (var name in new[] { "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset" })
            Assert.True(response.Headers.TryGetValues(name, out var values) && long.TryParse(values.Single(), out _), $"{name} is missing");
    }

    public static string HeaderValue(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"{name} is missing");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());
}
