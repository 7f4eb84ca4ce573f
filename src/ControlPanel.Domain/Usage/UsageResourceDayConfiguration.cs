using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Usage;

internal sealed class UsageResourceDayConfiguration : IEntityTypeConfiguration<UsageResourceDay>
{
    public void Configure(EntityTypeBuilder<UsageResourceDay> day)
    {
        day.ToTable("UsageResourceDays");
        day.HasKey(d => new { d.ApplicationId, d.Day, d.Environment, d.ResourceId, d.Outcome });
        day.Property(d => d.Environment).HasMaxLength(20);
        // Covers the every-account reports (staff with no account chosen) and retention: read from the index alone.
        day.HasIndex(d => new { d.Day, d.ApplicationId, d.Environment, d.ResourceId, d.Outcome, d.Calls }).HasDatabaseName("IX_UsageResourceDays_Day_Covering");
    }
}
