using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Email;

internal sealed class OutboxMailConfiguration : IEntityTypeConfiguration<OutboxMail>
{
    public void Configure(EntityTypeBuilder<OutboxMail> mail)
    {
        mail.ToTable("MailOutbox");
        mail.Property(m => m.Kind).HasMaxLength(OutboxMail.KindMaxLength);
        mail.Property(m => m.To).HasMaxLength(OutboxMail.AddressMaxLength);
        mail.Property(m => m.UserId).HasMaxLength(450);
        mail.Property(m => m.Subject).HasMaxLength(OutboxMail.SubjectMaxLength);
        mail.Property(m => m.LastError).HasMaxLength(OutboxMail.ErrorMaxLength);
        // The dispatcher's question: unsent, not given up, due.
        mail.HasIndex(m => new { m.SentAt, m.FailedAt, m.NextAttemptAt });
        // The per-address limits' question: this kind for this user lately.
        mail.HasIndex(m => new { m.UserId, m.Kind, m.CreatedAt });
    }
}
