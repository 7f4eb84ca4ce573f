using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Usage;

internal sealed class UsageMinuteConfiguration : IEntityTypeConfiguration<UsageMinute>
{
    public void Configure(EntityTypeBuilder<UsageMinute> usage)
    {
        usage.ToTable("UsageMinutes");
        usage.HasKey(u => new { u.ApplicationId, u.Minute, u.KeyPairId, u.Environment, u.Outcome, u.Counted });
        usage.Property(u => u.Environment).HasMaxLength(20);
        usage.HasIndex(u => u.Minute);
    }
}
