using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Webhooks;

/// <summary>The webhook tables' mapping, kept beside the entities; called from ControlPanelDbContext.</summary>
internal static class WebhookModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<WebhookEndpoint>(endpoint =>
        {
            endpoint.ToTable("WebhookEndpoints");
            endpoint.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
            endpoint.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
            endpoint.Property(e => e.Events).HasMaxLength(WebhookEndpoint.EventsMaxLength);
            endpoint.Property(e => e.SecretId).HasMaxLength(32);
            endpoint.Property(e => e.PreviousSecretId).HasMaxLength(32);
            endpoint.Property(e => e.CreatedBy).HasMaxLength(256);
            endpoint.Ignore(e => e.EventList);
            endpoint.HasOne(e => e.Account).WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<WebhookEvent>(webhookEvent =>
        {
            webhookEvent.ToTable("WebhookEvents");
            webhookEvent.Property(e => e.Name).HasMaxLength(WebhookEvent.NameMaxLength);
            webhookEvent.HasOne<Accounts.Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
            webhookEvent.HasIndex(e => new { e.AccountId, e.OccurredAt });
            webhookEvent.HasIndex(e => e.FannedOutAt);
        });

        builder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.ToTable("WebhookDeliveries");
            delivery.Property(d => d.EventName).HasMaxLength(WebhookEvent.NameMaxLength);
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            delivery.Property(d => d.LastError).HasMaxLength(WebhookDelivery.ErrorMaxLength);
            delivery.Ignore(d => d.IsFinished);
            delivery.HasOne(d => d.Event).WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasOne(d => d.Endpoint).WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
            // One delivery per event and endpoint, even if two workers fan out the same event.
            delivery.HasIndex(d => new { d.EventId, d.EndpointId }).IsUnique();
            delivery.HasIndex(d => new { d.EndpointId, d.CreatedAt });
            delivery.HasIndex(d => new { d.AccountId, d.CreatedAt });
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
        });

        builder.Entity<WebhookAttempt>(attempt =>
        {
            attempt.ToTable("WebhookAttempts");
            attempt.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(20);
            attempt.Property(a => a.Error).HasMaxLength(WebhookAttempt.ErrorMaxLength);
            attempt.Ignore(a => a.Succeeded);
            attempt.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
            attempt.HasIndex(a => new { a.DeliveryId, a.Number });
            attempt.HasIndex(a => new { a.EndpointId, a.StartedAt });
        });
    }
}
