using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.AccessTokens;

internal sealed class IdempotentRotationConfiguration : IEntityTypeConfiguration<IdempotentRotation>
{
    public void Configure(EntityTypeBuilder<IdempotentRotation> rotation)
    {
        rotation.ToTable("IdempotentRotations");
        rotation.HasKey(r => new { r.AccessTokenId, r.KeyHash });
        rotation.Property(r => r.KeyHash).HasMaxLength(64);
        rotation.Property(r => r.Grace).HasConversion<string>().HasMaxLength(20);
        rotation.HasOne<AccessToken>().WithMany().HasForeignKey(r => r.AccessTokenId).OnDelete(DeleteBehavior.Cascade);
        rotation.HasIndex(r => r.ExpiresAt);
    }
}
