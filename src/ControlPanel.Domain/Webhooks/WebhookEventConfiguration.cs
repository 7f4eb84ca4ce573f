using ControlPanel.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Webhooks;

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> webhookEvent)
    {
        webhookEvent.ToTable("WebhookEvents");
        webhookEvent.Property(e => e.Name).HasMaxLength(WebhookEvent.NameMaxLength);
        webhookEvent.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        webhookEvent.HasIndex(e => new { e.AccountId, e.OccurredAt });
        webhookEvent.HasIndex(e => e.FannedOutAt);
    }
}
