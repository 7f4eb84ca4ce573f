using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Limits;

internal sealed class SharedCounterConfiguration : IEntityTypeConfiguration<SharedCounter>
{
    public void Configure(EntityTypeBuilder<SharedCounter> counter)
    {
        counter.ToTable("SharedCounters");
        counter.HasKey(c => new { c.Key, c.Period });
        counter.Property(c => c.Key).HasMaxLength(SharedCounter.KeyMaxLength);
        counter.HasIndex(c => c.ExpiresAt);
    }
}
