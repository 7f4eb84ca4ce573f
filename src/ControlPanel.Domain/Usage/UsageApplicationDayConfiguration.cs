using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Usage;

internal sealed class UsageApplicationDayConfiguration : IEntityTypeConfiguration<UsageApplicationDay>
{
    public void Configure(EntityTypeBuilder<UsageApplicationDay> usage)
    {
        usage.ToTable("UsageApplicationDays");
        usage.HasKey(u => new { u.ApplicationId, u.Day, u.Environment });
        usage.Property(u => u.Environment).HasMaxLength(20);
        // The history's range filter; a page is sorted from the range's rows alone, before any join.
        usage.HasIndex(u => u.Day);
    }
}
