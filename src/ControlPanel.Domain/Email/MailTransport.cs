using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ControlPanel.Domain.Email;

/// <summary>An open way to hand mails over: one SMTP connection, or the pickup folder.</summary>
public interface IMailConnection : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Where mails go: an SMTP server (Email:Host set) or a folder of .eml files (the default).</summary>
public abstract class MailTransport
{
    /// <summary>Said in the log at start, so people know where their mail goes.</summary>
    public abstract string Description { get; }

    public abstract Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken);

    public static MailTransport For(EmailOptions options) =>
        options.IsSmtpConfigured ? new SmtpMailTransport(options) : new FolderMailTransport(options.PickupFolder);
}

/// <summary>MailKit's SMTP client, one connection per dispatch pass.</summary>
public sealed class SmtpMailTransport(EmailOptions options) : MailTransport
{
    public override string Description => $"the SMTP server {options.Host}:{options.Port} ({options.TlsMode})";

    public override async Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(options.Host, options.Port, options.TlsMode switch
            {
                SmtpTlsMode.None => SecureSocketOptions.None,
                SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
                SmtpTlsMode.Tls => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.Auto,
            }, cancellationToken);
            if (!string.IsNullOrEmpty(options.User))
                await client.AuthenticateAsync(options.User, options.Password, cancellationToken);
            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed class Connection(SmtpClient client) : IMailConnection
    {
        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => await client.SendAsync(message, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected) await client.DisconnectAsync(quit: true);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or OperationCanceledException)
            {
                // The mails of this pass were accepted already; a failed goodbye changes nothing.
            }
            client.Dispose();
        }
    }
}

/// <summary>Writes each mail as one .eml file (open it with any mail program); for running without an SMTP server.</summary>
public sealed class FolderMailTransport(string folder) : MailTransport
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public override string Description => $"the folder {Folder} (one .eml file per mail; set Email:Host to send them)";

    public override Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        return Task.FromResult<IMailConnection>(new Connection(Folder));
    }

    private sealed class Connection(string folder) : IMailConnection
    {
        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            var name = $"{message.Date.UtcDateTime:yyyyMMdd-HHmmss}-{(message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0]}.eml";
            var path = Path.Combine(folder, name);
            // Written under another name first, so a reader of the folder never sees half a mail.
            var partial = path + ".partial";
            await message.WriteToAsync(partial, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
