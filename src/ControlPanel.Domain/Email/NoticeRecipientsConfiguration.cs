using ControlPanel.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Email;

internal sealed class NoticeRecipientsConfiguration : IEntityTypeConfiguration<NoticeRecipients>
{
    public void Configure(EntityTypeBuilder<NoticeRecipients> recipients)
    {
        recipients.ToTable("NoticeRecipients");
        recipients.HasKey(r => r.AccountId);
        recipients.Property(r => r.Addresses).HasMaxLength(Notices.RecipientsMaxLength);
        recipients.Property(r => r.Confirmed).HasMaxLength(Notices.RecipientsMaxLength);
        recipients.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
