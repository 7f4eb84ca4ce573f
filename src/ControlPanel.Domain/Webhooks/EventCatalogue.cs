using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Json.Schema;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// Every event type with its schema and example: those shipped (<see cref="EventTypes.BuiltIn"/>) and the platform event types
/// administrators added. Checks an event's data against its type's schema (JsonSchema.Net, draft 2020-12). Added types are read
/// from the database at most every few seconds, so every instance sees a new one soon without a database read per event.
/// </summary>
public sealed class EventCatalogue(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private readonly ConcurrentDictionary<(string Name, int Version), JsonSchema> _compiled = new();
    private (IReadOnlyList<EventType> Types, long At)? _cache;

    public sealed class Form
    {
        [Required(ErrorMessage = "Enter the event's name.")]
        [RegularExpression("^[a-z][a-z0-9_]{2,63}$", ErrorMessage = "A name is 3 to 64 lower-case letters, digits and underscores, starting with a letter (e.g. chat_rated).")]
        public string Name { get; set; } = "";

        [Required(ErrorMessage = "Describe when the event happens.")]
        [StringLength(WebhookEventType.DescriptionMaxLength, ErrorMessage = "The description is at most 300 characters.")]
        public string Description { get; set; } = "";

        [Required(ErrorMessage = "Enter the JSON Schema of the event's data.")]
        [StringLength(WebhookEventType.SchemaMaxLength, ErrorMessage = "The schema is at most 20000 characters.")]
        public string SchemaJson { get; set; } = """{ "type": "object", "required": [], "properties": {} }""";

        [Required(ErrorMessage = "Enter an example of the event's data.")]
        [StringLength(WebhookEventType.SchemaMaxLength, ErrorMessage = "The example is at most 20000 characters.")]
        public string ExampleJson { get; set; } = "{}";
    }

    /// <summary>Every event type, the shipped ones first in their order, then the added ones by name.</summary>
    public async Task<IReadOnlyList<EventType>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (_cache is { } cache && clock.GetElapsedTime(cache.At) < Fresh) return cache.Types;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var added = await db.WebhookEventTypes.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        IReadOnlyList<EventType> types = [.. EventTypes.BuiltIn, .. added.Select(t => t.ToEventType())];
        _cache = (types, clock.GetTimestamp());
        return types;
    }

    public async Task<EventType?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(t => t.Name == name);

    /// <summary>The names an endpoint may subscribe to, in the order the UI lists them (the test event is sent, never subscribed).</summary>
    public async Task<IReadOnlyList<string>> SubscribableAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(cancellationToken)).Where(t => t.Name != WebhookEvents.Test).Select(t => t.Name)];

    /// <summary>The event types the platform may post.</summary>
    public async Task<IReadOnlyList<string>> FromPlatformAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(cancellationToken)).Where(t => t.Source == EventSource.Platform).Select(t => t.Name)];

    /// <summary>The first way <paramref name="data"/> breaks the type's schema, as "data/path: message", or null when it meets it.</summary>
    public string? FirstViolation(EventType type, JsonElement data)
    {
        var schema = _compiled.GetOrAdd((type.Name, type.Version), _ => JsonSchema.FromText(type.SchemaJson));
        return FirstViolation(schema, data);
    }

    private static string? FirstViolation(JsonSchema schema, JsonElement data)
    {
        var result = schema.Evaluate(data, Evaluation);
        if (result.IsValid) return null;
        foreach (var detail in (IEnumerable<EvaluationResults>)[result, .. result.Details ?? []])
            if (detail.Errors is { Count: > 0 } errors)
                return $"data{detail.InstanceLocation}: {errors.First().Value}";
        return "data does not match the event's schema.";
    }

    /// <summary>Adds a platform event type, or changes one added before (its version goes up). Administrators only; audited.</summary>
    public async Task<EventType> SaveAsync(Viewer viewer, Form form, CancellationToken cancellationToken = default)
    {
        if (!viewer.CanAdminister) throw new AccessDeniedException();
        FormValidation.ThrowIfInvalid(form);
        if (EventTypes.BuiltIn.Any(t => t.Name == form.Name))
            throw Invalid($"{form.Name} is shipped with the control panel and cannot be changed here.", nameof(Form.Name));
        JsonSchema schema;
        try
        {
            using var parsed = JsonDocument.Parse(form.SchemaJson);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object) throw Invalid("The schema must be a JSON object.", nameof(Form.SchemaJson));
            schema = JsonSchema.FromText(form.SchemaJson);
        }
        catch (Exception e) when (e is JsonException or JsonSchemaException or ArgumentException or InvalidOperationException)
        {
            throw Invalid($"The schema is not a valid JSON Schema: {e.Message}", nameof(Form.SchemaJson));
        }
        try
        {
            using var example = JsonDocument.Parse(form.ExampleJson);
            if (example.RootElement.ValueKind != JsonValueKind.Object) throw Invalid("The example must be a JSON object (the event's data).", nameof(Form.ExampleJson));
            if (FirstViolation(schema, example.RootElement) is { } violation)
                throw Invalid($"The example does not meet the schema: {violation}", nameof(Form.ExampleJson));
        }
        catch (JsonException e)
        {
            throw Invalid($"The example is not JSON: {e.Message}", nameof(Form.ExampleJson));
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var stored = await db.WebhookEventTypes.SingleOrDefaultAsync(t => t.Name == form.Name, cancellationToken);
        if (stored is null)
        {
            stored = new WebhookEventType { Name = form.Name, Description = form.Description.Trim(), SchemaJson = form.SchemaJson, ExampleJson = form.ExampleJson, UpdatedAt = now, UpdatedBy = viewer.Name };
            db.WebhookEventTypes.Add(stored);
            AuditLog.Record(db, viewer, now, AuditActions.WebhookEventTypeSaved, null, null, $"Added platform event type {form.Name} (version 1)");
        }
        else
        {
            if (stored.SchemaJson != form.SchemaJson) stored.Version++;
            stored.Description = form.Description.Trim();
            stored.SchemaJson = form.SchemaJson;
            stored.ExampleJson = form.ExampleJson;
            stored.UpdatedAt = now;
            stored.UpdatedBy = viewer.Name;
            AuditLog.Record(db, viewer, now, AuditActions.WebhookEventTypeSaved, null, null, $"Changed platform event type {form.Name} (version {stored.Version})");
        }
        await db.SaveChangesAsync(cancellationToken);
        _cache = null;
        return stored.ToEventType();
    }

    private static ValidationException Invalid(string message, string member) => new(new ValidationResult(message, [member]), null, null);
}
