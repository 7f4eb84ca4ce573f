using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Accounts;

internal sealed class AccountMemberConfiguration : IEntityTypeConfiguration<AccountMember>
{
    public void Configure(EntityTypeBuilder<AccountMember> member)
    {
        member.ToTable("AccountMembers");
        member.HasKey(m => new { m.AccountId, m.UserId });
        member.Property(m => m.Role).HasMaxLength(AccountMember.RoleMaxLength);
        // A person's accounts, read on every page they open.
        member.HasIndex(m => m.UserId);
        member.HasOne(m => m.Account).WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        member.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
