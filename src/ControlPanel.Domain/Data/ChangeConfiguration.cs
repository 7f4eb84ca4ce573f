using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Data;

internal sealed class ChangeConfiguration : IEntityTypeConfiguration<Change>
{
    public void Configure(EntityTypeBuilder<Change> change)
    {
        change.ToTable("Changes");
        change.Property(c => c.Topic).HasConversion<string>().HasMaxLength(20);
        change.HasIndex(c => c.At);
    }
}
