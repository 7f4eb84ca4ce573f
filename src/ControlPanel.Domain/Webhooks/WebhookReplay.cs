using ControlPanel.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Webhooks;

/// <summary>An owner's request to send an endpoint's events of a time range again (after an outage, or after it was disabled).</summary>
public class WebhookReplay : IAccountOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid EndpointId { get; set; }
    public Guid AccountId { get; set; }
    /// <summary>Events that occurred at or after this time (UTC)...</summary>
    public DateTime Since { get; set; }
    /// <summary>...and before this one, when set.</summary>
    public DateTime? Until { get; set; }
    public bool FailedOnly { get; set; }
    /// <summary>How many deliveries it queued.</summary>
    public int Total { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? CancelledAt { get; set; }
}

internal sealed class WebhookReplayConfiguration : IEntityTypeConfiguration<WebhookReplay>
{
    public void Configure(EntityTypeBuilder<WebhookReplay> replay)
    {
        replay.ToTable("WebhookReplays");
        replay.Property(r => r.CreatedBy).HasMaxLength(256);
        replay.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(r => r.EndpointId).OnDelete(DeleteBehavior.Cascade);
        replay.HasIndex(r => new { r.EndpointId, r.CreatedAt });
    }
}
