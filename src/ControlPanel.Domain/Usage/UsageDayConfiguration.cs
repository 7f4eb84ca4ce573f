using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Usage;

internal sealed class UsageDayConfiguration : IEntityTypeConfiguration<UsageDay>
{
    public void Configure(EntityTypeBuilder<UsageDay> usage)
    {
        usage.ToTable("UsageDays");
        usage.HasKey(u => new { u.ApplicationId, u.Day, u.Environment, u.Outcome, u.Counted });
        usage.Property(u => u.Environment).HasMaxLength(20);
        // Covers the cross-application reports (admin overview, staff history) and retention: read from the index alone.
        // Named, as the generated name passes PostgreSQL's 63-character limit.
        usage.HasIndex(u => new { u.Day, u.ApplicationId, u.Environment, u.Outcome, u.Counted, u.Calls }).HasDatabaseName("IX_UsageDays_Day_Covering");
    }
}
