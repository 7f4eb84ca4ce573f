using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Email;

/// <summary>
/// Adds mails to the outbox in the caller's unit of work: nothing is saved here, so the mail is committed by the
/// caller's SaveChanges together with the change it reports.
/// </summary>
public static class MailOutbox
{
    public static OutboxMail Add(ControlPanelDbContext db, string kind, string to, MailContent content, DateTime now, string? userId = null)
    {
        var mail = new OutboxMail
        {
            Kind = kind,
            To = to,
            UserId = userId,
            Subject = content.Subject,
            TextBody = content.Text,
            HtmlBody = content.Html,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.OutboxMails.Add(mail);
        return mail;
    }

    /// <summary>Mails of <paramref name="kind"/> queued for <paramref name="userId"/> since <paramref name="since"/>: what per-address limits count.</summary>
    public static Task<int> CountSinceAsync(ControlPanelDbContext db, string kind, string userId, DateTime since) =>
        db.OutboxMails.CountAsync(m => m.Kind == kind && m.UserId == userId && m.CreatedAt > since);

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<NoticeRecipients>(recipients =>
        {
            recipients.ToTable("NoticeRecipients");
            recipients.HasKey(r => r.AccountId);
            recipients.Property(r => r.Addresses).HasMaxLength(Notices.RecipientsMaxLength);
            recipients.HasOne<Accounts.Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<OutboxMail>(mail =>
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
        });
    }
}
