using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Accounts;

/// <summary>What the control panel adds to Identity's AspNetUsers table; Identity's own mapping comes from IdentityDbContext, applied first.</summary>
internal sealed class ControlPanelUserConfiguration : IEntityTypeConfiguration<ControlPanelUser>
{
    public void Configure(EntityTypeBuilder<ControlPanelUser> user)
    {
        user.Property(u => u.DisplayName).HasMaxLength(ControlPanelUser.DisplayNameMaxLength);
        user.HasOne(u => u.Account).WithMany().HasForeignKey(u => u.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
