using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Keys;

internal sealed class KeyPairConfiguration : IEntityTypeConfiguration<KeyPair>
{
    public void Configure(EntityTypeBuilder<KeyPair> pair)
    {
        pair.ToTable("KeyPairs");
        pair.Property(p => p.ApplicationKeyHash).HasMaxLength(64);
        pair.Property(p => p.ConsumerKeyHash).HasMaxLength(64);
        pair.Property(p => p.ApplicationKeyLast4).HasMaxLength(4);
        pair.Property(p => p.ConsumerKeyLast4).HasMaxLength(4);
        pair.Property(p => p.CreatedBy).HasMaxLength(256);
        pair.Property(p => p.RevokedBy).HasMaxLength(256);
        pair.HasOne(p => p.Application).WithMany().HasForeignKey(p => p.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        pair.HasIndex(p => p.ApplicationKeyHash).IsUnique();
    }
}
