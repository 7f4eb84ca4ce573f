using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Quotas;

internal sealed class QuotaNotificationConfiguration : IEntityTypeConfiguration<QuotaNotification>
{
    public void Configure(EntityTypeBuilder<QuotaNotification> notification)
    {
        notification.ToTable("QuotaNotifications");
        notification.Property(n => n.Kind).HasConversion<string>().HasMaxLength(20);
        notification.HasIndex(n => new { n.ApplicationId, n.Month, n.Kind, n.Percent }).IsUnique();
        notification.HasIndex(n => new { n.AccountId, n.At });
    }
}
