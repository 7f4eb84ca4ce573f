using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Email;

/// <summary>The outbox against a real SMTP server on loopback (and the .eml folder): saved with its change, sent once, retried.</summary>
public sealed class MailOutboxTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(TestClock.Start);
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateMigratedAsync();

    /// <summary>For the tests that run on each provider: replaces the SQLite database with one of <paramref name="provider"/>.</summary>
    private async Task UseAsync(DatabaseProvider provider)
    {
        if (provider == database.Provider) return;
        database.Dispose();
        database = await TestDatabase.CreateMigratedAsync(provider);
    }

    public Task DisposeAsync()
    {
        database.Dispose();
        return Task.CompletedTask;
    }

    private static EmailOptions Smtp(TestSmtpServer server)
    {
        var options = server.Options();
        options.RetryInterval = TimeSpan.FromMinutes(1);
        options.MaxAttempts = 3;
        return options;
    }

    private MailDispatcher Dispatcher(EmailOptions options) =>
        new(database.Factory, MailTransport.For(options), Options.Create(options), clock, NullLogger<MailDispatcher>.Instance);

    private static MailContent Content(string subject) => new(subject, $"Text of {subject}", $"<p>HTML of {subject}</p>");

    /// <summary>A change (a new account) and the mail it causes, in one transaction.</summary>
    private async Task SaveAccountWithMailAsync(string name, bool commit)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Accounts.Add(new Account { Name = name, CreatedAt = clock.GetUtcNow().UtcDateTime });
        MailOutbox.Add(db, MailKinds.PasswordChanged, "owner@controlpanel.test", Content($"About {name}"), clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
        if (commit) await transaction.CommitAsync();
    }

    [Fact]
    public async Task A_mail_is_saved_with_its_change_or_not_at_all()
    {
        await SaveAccountWithMailAsync("Rolled back", commit: false);
        await SaveAccountWithMailAsync("Committed", commit: true);

        await using var db = database.CreateContext();
        Assert.Equal("Committed", Assert.Single(await db.Accounts.ToListAsync()).Name);
        Assert.Equal("About Committed", Assert.Single(await db.OutboxMails.ToListAsync()).Subject);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_mail_raised_while_the_server_is_down_arrives_exactly_once_when_it_is_up(DatabaseProvider provider)
    {
        await UseAsync(provider);
        await using var server = new TestSmtpServer(); // not started: connections are refused
        var dispatcher = Dispatcher(Smtp(server));
        await SaveAccountWithMailAsync("Acme", commit: true);

        Assert.Equal(0, await dispatcher.DispatchAsync());
        await using (var db = database.CreateContext())
        {
            var waiting = await db.OutboxMails.SingleAsync();
            Assert.Equal(1, waiting.Attempts);
            Assert.Null(waiting.SentAt);
            Assert.Null(waiting.FailedAt);
            Assert.NotNull(waiting.LastError);
            Assert.Equal(clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1), waiting.NextAttemptAt);
        }

        await server.StartAsync();
        Assert.Equal(0, await dispatcher.DispatchAsync()); // not due yet
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await dispatcher.DispatchAsync());
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await dispatcher.DispatchAsync());

        var message = Assert.Single(server.Messages);
        Assert.Equal("About Acme", message.Subject);
        Assert.Equal("owner@controlpanel.test", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("panel@controlpanel.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Contains("Text of About Acme", message.TextBody);
        Assert.Contains("<p>HTML of About Acme</p>", message.HtmlBody);
        await using (var db = database.CreateContext())
        {
            var sent = await db.OutboxMails.SingleAsync();
            Assert.Equal(2, sent.Attempts);
            Assert.NotNull(sent.SentAt);
            // A delivered mail's bodies (which may hold a one-time link) are not kept.
            Assert.Equal("", sent.TextBody);
            Assert.Equal("", sent.HtmlBody);
        }
    }

    [Fact]
    public async Task Retries_wait_longer_each_time_and_stop_after_the_last_attempt()
    {
        await using var server = new TestSmtpServer();
        var dispatcher = Dispatcher(Smtp(server));
        await SaveAccountWithMailAsync("Acme", commit: true);

        await dispatcher.DispatchAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.DispatchAsync();
        await using (var db = database.CreateContext())
            Assert.Equal(clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(2), (await db.OutboxMails.SingleAsync()).NextAttemptAt);
        clock.Advance(TimeSpan.FromMinutes(2));
        await dispatcher.DispatchAsync();

        await server.StartAsync();
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await dispatcher.DispatchAsync());
        Assert.Empty(server.Messages);
        await using var check = database.CreateContext();
        var failed = await check.OutboxMails.SingleAsync();
        Assert.Equal(3, failed.Attempts);
        Assert.NotNull(failed.FailedAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_dispatchers_at_once_send_each_mail_once(DatabaseProvider provider)
    {
        await UseAsync(provider);
        await using var server = await TestSmtpServer.StartNewAsync();
        for (var i = 0; i < 20; i++) await SaveAccountWithMailAsync($"Account {i}", commit: true);

        await Task.WhenAll(Dispatcher(Smtp(server)).DispatchAsync(), Dispatcher(Smtp(server)).DispatchAsync());

        Assert.Equal(20, server.Messages.Count);
        Assert.Equal(20, server.Messages.Select(m => m.Subject).Distinct().Count());
    }

    [Fact]
    public async Task Without_an_SMTP_host_each_mail_is_one_eml_file_in_the_pickup_folder()
    {
        var folder = Path.Combine(database.Folder, "mail");
        var dispatcher = Dispatcher(new EmailOptions { PickupFolder = folder, PublicBaseUrl = "http://127.0.0.1:5080/" });
        Assert.Contains(folder, dispatcher.Transport.Description);
        await SaveAccountWithMailAsync("Acme", commit: true);

        Assert.Equal(1, await dispatcher.DispatchAsync());

        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.EndsWith(".eml", file);
        var message = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.Equal("About Acme", message.Subject);
        Assert.Contains("Text of About Acme", message.TextBody);
    }

    [Fact]
    public void Options_need_a_public_address_with_SMTP_and_a_valid_sender()
    {
        static List<string> Errors(EmailOptions options) =>
            options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage!).ToList();

        Assert.Empty(Errors(new EmailOptions()));
        Assert.Contains(Errors(new EmailOptions { Host = "smtp.example.com" }), e => e.Contains("PublicBaseUrl"));
        Assert.Contains(Errors(new EmailOptions { PublicBaseUrl = "panel.example.com" }), e => e.Contains("absolute"));
        Assert.Contains(Errors(new EmailOptions { FromAddress = "not an address" }), e => e.Contains("FromAddress"));
        Assert.Contains(Errors(new EmailOptions { User = "me" }), e => e.Contains("together"));
        Assert.Empty(Errors(new EmailOptions { Host = "smtp.example.com", PublicBaseUrl = "https://panel.example.com" }));
    }

    [Fact]
    public async Task Sent_mails_leave_the_outbox_after_the_retention_and_waiting_ones_stay()
    {
        await using var server = await TestSmtpServer.StartNewAsync();
        var options = Smtp(server);
        await SaveAccountWithMailAsync("Sent", commit: true);
        await Dispatcher(options).DispatchAsync();
        await server.StopAsync();
        await SaveAccountWithMailAsync("Waiting", commit: true);
        await Dispatcher(options).DispatchAsync();

        var retention = new HistoryRetention(database.Factory, Options.Create(new ControlPanel.Domain.Webhooks.WebhookOptions()),
            Options.Create(new ControlPanel.Domain.Audit.AuditOptions()), clock, Options.Create(options));
        clock.Advance(TimeSpan.FromDays(options.HistoryRetentionDays - 1));
        Assert.Equal(0, (await retention.DeleteExpiredAsync()).Mails);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await retention.DeleteExpiredAsync()).Mails);

        await using var db = database.CreateContext();
        Assert.Equal("About Waiting", Assert.Single(await db.OutboxMails.ToListAsync()).Subject);
    }
}
