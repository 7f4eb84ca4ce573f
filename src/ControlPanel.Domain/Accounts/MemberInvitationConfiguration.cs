using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Accounts;

internal sealed class MemberInvitationConfiguration : IEntityTypeConfiguration<MemberInvitation>
{
    public void Configure(EntityTypeBuilder<MemberInvitation> invitation)
    {
        invitation.ToTable("MemberInvitations");
        invitation.Property(i => i.Email).HasMaxLength(MemberInvitation.EmailMaxLength);
        invitation.Property(i => i.Role).HasMaxLength(AccountMember.RoleMaxLength);
        invitation.Property(i => i.TokenHash).HasMaxLength(64);
        invitation.Property(i => i.InvitedBy).HasMaxLength(256);
        invitation.Property(i => i.AcceptedByUserId).HasMaxLength(450);
        invitation.HasIndex(i => i.TokenHash).IsUnique();
        invitation.HasIndex(i => i.AccountId);
        invitation.HasOne(i => i.Account).WithMany().HasForeignKey(i => i.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
