using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Resources;
using static ControlPanel.Web.Api.ManagementApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// The resource catalogue under /api/v1/manage/resources, behind the management API's token filter: every token reads it,
/// Admin read-and-write tokens change it, through <see cref="ResourceService"/> as the Resources page does.
/// </summary>
public static class ResourcesApi
{
    public static RouteGroupBuilder MapResourcesApi(this RouteGroupBuilder manage)
    {
        var resources = manage.MapGroup("/resources");
        resources.MapGet("", ListResourcesAsync)
            .Named("ListResources", "The resource catalogue in the order calls are matched (the default resource last), with overlapping patterns pointed out")
            .Answers<ResourceCatalogueAnswer>(StatusCodes.Status200OK).Example(null, ResourceExamples.Catalogue);
        resources.MapPost("", CreateResourceAsync)
            .Named("CreateResource", "Add a resource (Admin tokens); a limit left out or null is the application's (its override, else the guide's table)")
            .Answers<ResourceItem>(StatusCodes.Status201Created, write: true).Example(ResourceExamples.Request, ResourceExamples.Chat);
        resources.MapGet("/{resourceId:guid}", GetResourceAsync).Named("GetResource", "One resource")
            .Answers<ResourceItem>(StatusCodes.Status200OK).Example(null, ResourceExamples.Chat);
        resources.MapPut("/{resourceId:guid}", ReplaceResourceAsync)
            .Named("ReplaceResource", "Replace a resource (Admin tokens); the default resource keeps its method * and path /**")
            .Answers<ResourceItem>(StatusCodes.Status200OK, write: true).Example(ResourceExamples.Request, ResourceExamples.Chat);
        resources.MapDelete("/{resourceId:guid}", DeleteResourceAsync).Named("DeleteResource", "Delete a resource (Admin tokens); its calls become a less specific resource's")
            .Answers(StatusCodes.Status204NoContent, write: true);
        return manage;
    }

    private static Task<IResult> ListResourcesAsync(HttpContext http, ResourceService resources) =>
        AsTokenAsync(http, async use =>
        {
            var catalogue = await resources.ListAsync(use.Viewer);
            return TypedResults.Ok(new ResourceCatalogueAnswer(
                [.. catalogue.Resources.Select(ResourceItem.From)],
                [.. catalogue.Warnings.Select(w => new ResourceWarning(w.ResourceId, w.Message))]));
        });

    private static Task<IResult> GetResourceAsync(HttpContext http, Guid resourceId, ResourceService resources) =>
        AsTokenAsync(http, async use => await resources.FindAsync(use.Viewer, resourceId) is { } row
            ? TypedResults.Ok(ResourceItem.From(row))
            : ApiRefusal.For(ApiStatusCodes.UnknownPath, "Not found."));

    private static Task<IResult> CreateResourceAsync(HttpContext http, ResourceService resources) =>
        AsTokenAsync(http, async use =>
        {
            if (await ReadResourceAsync(http) is not { } form) return ResourceBodyRefused();
            var id = await resources.CreateAsync(use.Viewer, form);
            return TypedResults.Created($"{Prefix}/resources/{id}", ResourceItem.From((await resources.FindAsync(use.Viewer, id))!));
        });

    private static Task<IResult> ReplaceResourceAsync(HttpContext http, Guid resourceId, ResourceService resources) =>
        AsTokenAsync(http, async use =>
        {
            if (await ReadResourceAsync(http) is not { } form) return ResourceBodyRefused();
            if (await resources.FindAsync(use.Viewer, resourceId) is null) return ApiRefusal.For(ApiStatusCodes.UnknownPath, "Not found.");
            await resources.UpdateAsync(use.Viewer, resourceId, form);
            return TypedResults.Ok(ResourceItem.From((await resources.FindAsync(use.Viewer, resourceId))!));
        });

    private static Task<IResult> DeleteResourceAsync(HttpContext http, Guid resourceId, ResourceService resources) =>
        AsTokenAsync(http, async use =>
        {
            if (await resources.FindAsync(use.Viewer, resourceId) is null) return ApiRefusal.For(ApiStatusCodes.UnknownPath, "Not found.");
            await resources.DeleteAsync(use.Viewer, resourceId);
            return TypedResults.NoContent();
        });

    private static async Task<ResourceService.Form?> ReadResourceAsync(HttpContext http)
    {
        var body = await ApiBody.ReadJsonAsync(http, ResourcesJson.Default.ResourceRequest);
        if (body is null) return null;
        var limits = new Dictionary<string, ResourceLimits>(body.Limits ?? new Dictionary<string, ResourceLimits>(), StringComparer.OrdinalIgnoreCase);
        if (limits.Keys.Any(environment => !Enum.TryParse<ApplicationEnvironment>(environment, ignoreCase: true, out _) || int.TryParse(environment, out _))) return null;
        ResourceLimits Limits(ApplicationEnvironment environment) => limits.GetValueOrDefault(environment.ToString()) ?? new ResourceLimits(null, null);
        return new ResourceService.Form
        {
            Method = body.Method ?? "",
            Path = body.Path ?? "",
            Description = body.Description,
            SessionRequired = body.SessionRequired ?? false,
            Counted = body.Counted ?? true,
            DevelopmentApplicationOnly = Limits(ApplicationEnvironment.Development).ApplicationOnly,
            DevelopmentPerUser = Limits(ApplicationEnvironment.Development).PerUser,
            StagingApplicationOnly = Limits(ApplicationEnvironment.Staging).ApplicationOnly,
            StagingPerUser = Limits(ApplicationEnvironment.Staging).PerUser,
            LiveApplicationOnly = Limits(ApplicationEnvironment.Live).ApplicationOnly,
            LivePerUser = Limits(ApplicationEnvironment.Live).PerUser,
        };
    }

    private static IResult ResourceBodyRefused() => ApiRefusal.For(ErrorCatalogue.DataNotValid,
        "Send a JSON object: {\"method\", \"path\", \"description\"?, \"sessionRequired\"?, \"counted\"?, \"limits\"?: {\"Live\": {\"applicationOnly\", \"perUser\"}, ...}}.");
}

/// <param name="Method">GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or * for any.</param>
/// <param name="Path">/v1/chats/{id}: literal segments, {name} or * for one segment, ** (last) for any number.</param>
/// <param name="SessionRequired">The guide's padlock: a call without a Bearer token answers 194. False when left out.</param>
/// <param name="Counted">Calls count towards the monthly quota. True when left out.</param>
/// <param name="Limits">Per environment (Development, Staging, Live): calls per minute, application-only (per client IP) and per user (per session); null is the application's.</param>
public sealed record ResourceRequest(
    string? Method, string? Path, string? Description = null, bool? SessionRequired = null, bool? Counted = null,
    IReadOnlyDictionary<string, ResourceLimits>? Limits = null);

public sealed record ResourceLimits(int? ApplicationOnly, int? PerUser);

public sealed record ResourceItem(
    Guid Id, string Method, string Path, string Description, bool SessionRequired, bool Counted, bool IsDefault,
    IReadOnlyDictionary<string, ResourceLimits> Limits, DateTime UpdatedAt, string UpdatedBy)
{
    public static ResourceItem From(ResourceService.Row r) => new(
        r.Id, r.Method, r.Path, r.Description, r.SessionRequired, r.Counted, r.IsDefault,
        r.Limits.ToDictionary(l => l.Key.ToString(), l => new ResourceLimits(l.Value.ApplicationOnly, l.Value.PerUser)), r.UpdatedAt, r.UpdatedBy);
}

public sealed record ResourceWarning(Guid ResourceId, string Message);

public sealed record ResourceCatalogueAnswer(IReadOnlyList<ResourceItem> Resources, IReadOnlyList<ResourceWarning> Warnings);

internal static class ResourceExamples
{
    private static readonly Dictionary<string, ResourceLimits> ChatLimits = new()
    {
        ["Development"] = new(null, null),
        ["Staging"] = new(null, null),
        ["Live"] = new(null, 600),
    };

    public static readonly ResourceRequest Request = new("GET", "/v1/chats/{id}", "Read one chat", SessionRequired: true, Counted: true, ChatLimits);

    public static readonly ResourceItem Chat = new(
        Guid.Parse("5b7c3e1a-2d4f-4a6b-9c8d-0e1f2a3b4c5d"), "GET", "/v1/chats/{id}", "Read one chat", true, true, false, ChatLimits,
        new DateTime(2026, 12, 7, 9, 30, 0, DateTimeKind.Utc), "Ada Admin");

    public static readonly ResourceCatalogueAnswer Catalogue = new(
        [Chat, new ResourceItem(Resource.DefaultId, "*", "/**", "Every call no other resource matches", false, true, true,
            new Dictionary<string, ResourceLimits> { ["Development"] = new(null, null), ["Staging"] = new(null, null), ["Live"] = new(null, null) },
            new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc), "Ada Admin")],
        []);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ResourceRequest))]
internal sealed partial class ResourcesJson : JsonSerializerContext;
