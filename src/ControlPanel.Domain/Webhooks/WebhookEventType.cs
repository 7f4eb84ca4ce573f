using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Webhooks;

/// <summary>A platform event type an administrator added in the panel, so a new platform event needs no release.</summary>
public class WebhookEventType
{
    public const int DescriptionMaxLength = 300;
    public const int SchemaMaxLength = 20_000;

    public required string Name { get; set; }
    public required string Description { get; set; }
    public required string SchemaJson { get; set; }
    public required string ExampleJson { get; set; }
    /// <summary>1 when added; up by one at each change of its schema.</summary>
    public int Version { get; set; } = 1;
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    public EventType ToEventType() => new(Name, Description, EventSource.Platform, Version, SchemaJson, ExampleJson) { IsCustom = true };
}

internal sealed class WebhookEventTypeConfiguration : IEntityTypeConfiguration<WebhookEventType>
{
    public void Configure(EntityTypeBuilder<WebhookEventType> type)
    {
        type.ToTable("WebhookEventTypes");
        type.HasKey(t => t.Name);
        type.Property(t => t.Name).HasMaxLength(WebhookEvent.NameMaxLength);
        type.Property(t => t.Description).HasMaxLength(WebhookEventType.DescriptionMaxLength);
        type.Property(t => t.SchemaJson).HasMaxLength(WebhookEventType.SchemaMaxLength);
        type.Property(t => t.ExampleJson).HasMaxLength(WebhookEventType.SchemaMaxLength);
        type.Property(t => t.UpdatedBy).HasMaxLength(256);
    }
}
