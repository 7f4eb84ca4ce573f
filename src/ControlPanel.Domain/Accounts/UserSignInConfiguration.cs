using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Accounts;

internal sealed class UserSignInConfiguration : IEntityTypeConfiguration<UserSignIn>
{
    public void Configure(EntityTypeBuilder<UserSignIn> signIn)
    {
        signIn.ToTable("UserSignIns");
        signIn.HasKey(s => s.Id);
        signIn.Property(s => s.UserId).HasMaxLength(450);
        signIn.Property(s => s.SecurityStamp).HasMaxLength(256);
        signIn.HasIndex(s => s.UserId);
        signIn.HasOne<ControlPanelUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
