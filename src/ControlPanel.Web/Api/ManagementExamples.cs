using System.Text.Json;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Usage;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ControlPanel.Web.Api;

/// <summary>An endpoint's example request and answer for the OpenAPI document.</summary>
public sealed record ManagementExample(object? Request, object? Response);

/// <summary>The examples of the management API's OpenAPI document.</summary>
public static class ManagementExamples
{
    private static readonly Guid AccountId = Guid.Parse("6a0d2f4e-8b1c-4d3e-9f2a-1b2c3d4e5f60");
    private static readonly Guid ApplicationId = Guid.Parse("0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f");
    public static readonly Guid DeliveryId = Guid.Parse("3f2b1c9e-5d0a-4e8b-9a51-2c7d0e6f4a10");
    private static readonly DateTime At = new(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc);

    public static readonly ApplicationRequest ApplicationRequest = new("Checkout", "Live", "default", true);

    public static readonly ApplicationListItem ApplicationItem = new(ApplicationId, AccountId, "Acme Ltd", "Checkout", "Live", true, At, 1);

    public static readonly ApplicationDetails Application = new(ApplicationId, AccountId, "Acme Ltd", "Checkout", "Live", true, "online", null, "default", At, "Ada Owner");

    public static readonly IssuedKeyPair IssuedKeys = new(Guid.Parse("9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"), "4f1c9a7be2d34c8f9e0a1b2c3d4e5f60", "a1b2c3d4e5f60718293a4b5c6d7e8f90");

    public static readonly CreatedApplication CreatedApplication = new(Application, IssuedKeys);

    public static readonly KeyPairItem KeyPair = new(IssuedKeys.KeyPairId, "5f60", "8f90", At, "Ada Owner (token \"deploy\")", At.AddHours(2), null, null, true);

    public static readonly AccessTokenItem AccessToken = new(Guid.Parse("5c4b3a29-1807-4f6e-8d5c-4b3a29180706"), "deploy", "ReadWrite", "cpat_…9f3a", At, At.AddDays(90), At.AddHours(1), "Active");

    public static readonly StaffItem Staff = new("8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968", "sam@example.com", "Sam Support", "Support", false, true, 0);

    public static readonly AllowlistAnswer Allowlist = new(["https://shop.example.com", "*.example.net", "203.0.113.0/24"], []);

    public static readonly UsageApi.UsageJson Usage = new(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1),
        [
            ExampleDay(new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc), allowed: 1200, refused: [(UsageOutcome.RateLimited, 3), (UsageOutcome.BadOrigin, 1), (UsageOutcome.BadKeys, 2)]),
            ExampleDay(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), allowed: 800, refused: []),
        ],
        ExampleDay(new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc), allowed: 2000, refused: [(UsageOutcome.RateLimited, 3), (UsageOutcome.BadOrigin, 1), (UsageOutcome.BadKeys, 2)]));

    /// <summary>A day of the example whose allowed calls all count towards the quota.</summary>
    private static UsageApi.DayJson ExampleDay(DateTime day, long allowed, (UsageOutcome Outcome, long Calls)[] refused)
    {
        var calls = new long[UsageOutcomes.All.Count];
        calls[(int)UsageOutcome.Allowed] = allowed;
        foreach (var (outcome, count) in refused) calls[(int)outcome] = count;
        return UsageApi.DayJson.Of(new UsageCounts(day, calls, counted: allowed));
    }

    public static readonly WebhookEndpointRequest EndpointRequest = new("https://hooks.example.com/controlpanel", "Key changes", ["key_rotated", "key_revoked"], true);

    public static readonly WebhookEndpointItem Endpoint = new(Guid.Parse("1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a"), AccountId, "Acme Ltd",
        "https://hooks.example.com/controlpanel", "Key changes", true, ["key_rotated", "key_revoked"], "whsid_8c1f0e2d9b7a6543", At);

    public static readonly DeliveryPage Deliveries = new(
        [new DeliveryItem(DeliveryId, Endpoint.Id, Endpoint.Url, "key_rotated", "Delivered", 1, At, At, 200, null, null, At)], 1);

    /// <summary>Puts each endpoint's <see cref="ManagementExample"/> into its operation.</summary>
    public static void AddTo(OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ManagementExample>().FirstOrDefault() is not { } example) return Task.CompletedTask;
        if (example.Request is not null && operation.RequestBody?.Content is { } requestContent)
            foreach (var media in requestContent.Values)
                if (media is OpenApiMediaType concrete) concrete.Example = Node(example.Request);
        if (example.Response is not null && operation.Responses is { } responses)
            foreach (var (status, response) in responses)
                if (status.StartsWith('2') && response.Content is { } content)
                    foreach (var media in content.Values)
                        if (media is OpenApiMediaType concrete) concrete.Example = Node(example.Response);
        return Task.CompletedTask;
    });

    private static System.Text.Json.Nodes.JsonNode? Node(object value) =>
        JsonSerializer.SerializeToNode(value, value.GetType(), JsonSerializerOptions.Web);
}
