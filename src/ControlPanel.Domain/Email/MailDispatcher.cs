using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ControlPanel.Domain.Email;

/// <summary>
/// Sends the outbox: mails due are claimed one at a time (so instances sharing a database never send one twice),
/// handed to the transport, then marked sent. A failure is retried after <see cref="EmailOptions.RetryInterval"/>,
/// doubling up to an hour, until <see cref="EmailOptions.MaxAttempts"/>. A server that is down loses nothing.
/// </summary>
public sealed class MailDispatcher(
    IDbContextFactory<ControlPanelDbContext> databases, MailTransport transport, IOptions<EmailOptions> options, TimeProvider clock,
    ILogger<MailDispatcher> logger)
{
    private const int BatchSize = 50;
    /// <summary>How long a claim lasts: a dispatcher that dies mid-send lets another instance retry after it.</summary>
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    public MailTransport Transport => transport;

    /// <summary>One pass over the mails due; returns how many were sent.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Guid> due;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            due = await db.OutboxMails.AsNoTracking()
                .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0) return 0;

        var sent = 0;
        IMailConnection? connection = null;
        try
        {
            foreach (var id in due)
            {
                var mail = await ClaimAsync(id, cancellationToken);
                if (mail is null) continue;
                try
                {
                    connection ??= await transport.ConnectAsync(cancellationToken);
                    await connection.SendAsync(ToMessage(mail), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await FailedAsync(mail, e);
                    // The server is down or refused the connection: the rest waits for the next pass.
                    if (connection is null) break;
                    continue;
                }
                catch (OperationCanceledException)
                {
                    await ReleaseAsync(mail.Id);
                    throw;
                }
                await SentAsync(mail.Id);
                sent++;
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
        return sent;
    }

    private async Task<OutboxMail?> ClaimAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var claimed = await db.OutboxMails
            .Where(m => m.Id == id && m.SentAt == null && m.FailedAt == null && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, now + ClaimLifetime), cancellationToken);
        return claimed == 1 ? await db.OutboxMails.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken) : null;
    }

    private async Task SentAsync(Guid id)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync();
        // The bodies may hold a one-time link: not kept once delivered.
        await db.OutboxMails.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.SentAt, now)
            .SetProperty(m => m.Attempts, m => m.Attempts + 1)
            .SetProperty(m => m.ClaimedUntil, (DateTime?)null)
            .SetProperty(m => m.LastError, (string?)null)
            .SetProperty(m => m.TextBody, "")
            .SetProperty(m => m.HtmlBody, ""));
    }

    private async Task FailedAsync(OutboxMail mail, Exception error)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var attempts = mail.Attempts + 1;
        var givenUp = attempts >= settings.MaxAttempts;
        var wait = TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, settings.RetryInterval.Ticks * (1L << Math.Min(attempts - 1, 20))));
        var message = error.Message.Length > OutboxMail.ErrorMaxLength ? error.Message[..OutboxMail.ErrorMaxLength] : error.Message;
        await using var db = await databases.CreateDbContextAsync();
        await db.OutboxMails.Where(m => m.Id == mail.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.ClaimedUntil, (DateTime?)null)
            .SetProperty(m => m.LastError, message)
            .SetProperty(m => m.NextAttemptAt, now + wait)
            .SetProperty(m => m.FailedAt, givenUp ? now : null));
        // The address is personal data and the subject is enough to tell mails apart: neither bodies nor links are logged.
        if (givenUp)
            logger.LogError("Gave up the mail {MailId} ({Kind}) after {Attempts} attempts: {Error}", mail.Id, mail.Kind, attempts, message);
        else
            logger.LogWarning("Could not send the mail {MailId} ({Kind}) to {Transport}, attempt {Attempts}: {Error}; trying again in {Wait}.",
                mail.Id, mail.Kind, transport.Description, attempts, message, wait);
    }

    private async Task ReleaseAsync(Guid id)
    {
        await using var db = await databases.CreateDbContextAsync();
        await db.OutboxMails.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, (DateTime?)null));
    }

    private MimeMessage ToMessage(OutboxMail mail)
    {
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = new DateTimeOffset(DateTime.SpecifyKind(mail.CreatedAt, DateTimeKind.Utc)),
            // The same id on every attempt, so a receiver can drop a copy sent again after a crash between sending and marking.
            MessageId = $"{mail.Id:N}@controlpanel",
            Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody(),
        };
        message.From.Add(options.Value.Sender());
        message.To.Add(MailboxAddress.Parse(mail.To));
        return message;
    }
}
