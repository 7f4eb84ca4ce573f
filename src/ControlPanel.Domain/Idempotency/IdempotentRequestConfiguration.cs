using ControlPanel.Domain.AccessTokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Idempotency;

internal sealed class IdempotentRequestConfiguration : IEntityTypeConfiguration<IdempotentRequest>
{
    public void Configure(EntityTypeBuilder<IdempotentRequest> request)
    {
        request.ToTable("IdempotentRequests");
        request.HasKey(r => new { r.AccessTokenId, r.KeyHash });
        request.Property(r => r.KeyHash).HasMaxLength(64);
        request.Property(r => r.RequestHash).HasMaxLength(64);
        request.HasOne<AccessToken>().WithMany().HasForeignKey(r => r.AccessTokenId).OnDelete(DeleteBehavior.Cascade);
        request.HasIndex(r => r.ExpiresAt);
    }
}
