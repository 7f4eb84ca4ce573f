using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Accounts;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> account)
    {
        account.ToTable("Accounts");
        account.Property(a => a.Name).HasMaxLength(Account.NameMaxLength);
        account.HasIndex(a => a.Name);
        account.Property(a => a.LockReason).HasMaxLength(Account.LockReasonMaxLength);
        account.Property(a => a.DeletionRequestedBy).HasMaxLength(256);
        account.Ignore(a => a.IsPendingDeletion);
    }
}
