using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Webhooks;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.ToTable("WebhookEndpoints");
        endpoint.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
        endpoint.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
        endpoint.Property(e => e.Events).HasMaxLength(WebhookEndpoint.EventsMaxLength);
        endpoint.Property(e => e.SecretId).HasMaxLength(32);
        endpoint.Property(e => e.PreviousSecretId).HasMaxLength(32);
        endpoint.Property(e => e.CreatedBy).HasMaxLength(256);
        endpoint.Ignore(e => e.EventList);
        // Deleted endpoints stay for the delivery log, which ignores this filter; everything else no longer sees them.
        endpoint.HasQueryFilter(e => e.DeletedAt == null);
        endpoint.HasOne(e => e.Account).WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
