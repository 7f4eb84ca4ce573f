using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Accounts;

internal sealed class KnownSignInAddressConfiguration : IEntityTypeConfiguration<KnownSignInAddress>
{
    public void Configure(EntityTypeBuilder<KnownSignInAddress> known)
    {
        known.ToTable("KnownSignInAddresses");
        known.HasKey(k => new { k.UserId, k.Address });
        known.Property(k => k.UserId).HasMaxLength(450);
        known.Property(k => k.Address).HasMaxLength(KnownSignInAddress.AddressMaxLength);
        known.HasOne<ControlPanelUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
