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

    /// <summary>
    /// A mail written like <see cref="Add"/> but never sent, to nobody and for no user, without its bodies, given up at once: where an answer
    /// must not tell by its timing whether a mail went out (forgot-password for an unknown address), the same write
    /// happens either way. It goes with the outbox's history (Email:HistoryRetentionDays).
    /// </summary>
    public static OutboxMail AddWithheld(ControlPanelDbContext db, string kind, MailContent content, DateTime now)
    {
        // No bodies: a withheld reset over the hourly limit would otherwise keep a working link in the table.
        var mail = Add(db, kind, "", content with { Text = "", Html = "" }, now);
        mail.FailedAt = now;
        mail.LastError = "Withheld: sent to nobody.";
        return mail;
    }

    /// <summary>Mails of <paramref name="kind"/> queued for <paramref name="userId"/> since <paramref name="since"/>: what per-address limits count.</summary>
    public static Task<int> CountSinceAsync(ControlPanelDbContext db, string kind, string userId, DateTime since) =>
        db.OutboxMails.CountAsync(m => m.Kind == kind && m.UserId == userId && m.CreatedAt > since);

}
