using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Tests.Requests;
using ControlPanel.Tests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Email;

/// <summary>Notices to an account's owners (as each chose) and extra recipients, delivered through a real SMTP server.</summary>
public sealed class NoticeTests : IAsyncLifetime
{
    private CheckHarness harness = null!;
    private TestSmtpServer smtp = null!;

    public async Task InitializeAsync()
    {
        harness = await CheckHarness.CreateAsync();
        smtp = await TestSmtpServer.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        harness.Dispose();
    }

    private MailDispatcher Dispatcher()
    {
        var options = smtp.Options();
        return new MailDispatcher(harness.Databases, MailTransport.For(options), Options.Create(options), harness.Clock, NullLogger<MailDispatcher>.Instance);
    }

    private readonly EphemeralDataProtectionProvider protection = new();

    /// <summary>The account page's settings, with links that work for three days.</summary>
    private NoticeSettings Settings(ControlPanelDbContext db) => new(db, protection,
        Options.Create(new DataProtectionTokenProviderOptions { TokenLifespan = TimeSpan.FromDays(3) }),
        Options.Create(new EmailOptions { PublicBaseUrl = "https://panel.controlpanel.test/" }), harness.Clock);

    /// <summary>
    /// Two Owners (one turned <paramref name="muted"/> off), a Developer (notices are the Owners') and a team address on the account.
    /// </summary>
    private async Task PeopleAsync(Guid accountId, NoticeKind muted)
    {
        await using var db = harness.Database.CreateContext();
        foreach (var (user, role) in new[]
        {
            (new ControlPanelUser { UserName = "olive@acme.test", Email = "olive@acme.test", DisplayName = "Olive", AccountId = accountId, PasswordHash = "set" }, Roles.Owner),
            (new ControlPanelUser { UserName = "quiet@acme.test", Email = "quiet@acme.test", DisplayName = "Quinn", AccountId = accountId, PasswordHash = "set", MutedNotices = (int)muted }, Roles.Owner),
            (new ControlPanelUser { UserName = "dev@acme.test", Email = "dev@acme.test", DisplayName = "Dana", PasswordHash = "set" }, Roles.Developer),
        })
        {
            db.Users.Add(user);
            db.AccountMembers.Add(new AccountMember { AccountId = accountId, UserId = user.Id, Role = role });
        }
        db.NoticeRecipients.Add(new NoticeRecipients { AccountId = accountId, Addresses = Notices.NormaliseRecipients("team@acme.test")!, Confirmed = "team@acme.test" });
        await db.SaveChangesAsync();
    }

    private List<string> Received(string subjectPart) =>
        smtp.Messages.Where(m => m.Subject!.Contains(subjectPart, StringComparison.Ordinal)).Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task A_quota_notice_is_mailed_once_per_threshold_per_month_to_those_who_want_it()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        await PeopleAsync(accountId, muted: NoticeKind.Quota);
        await harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 10, 5);

        for (var i = 0; i < 8; i++) await harness.Check.CheckAsync(CheckHarness.With(keys));
        await harness.Quotas.FlushNotificationsAsync();
        // Further calls under the next threshold, and flushing again, notify nobody again.
        await harness.Check.CheckAsync(CheckHarness.With(keys));
        await harness.Quotas.FlushNotificationsAsync();
        await harness.Quotas.FlushNotificationsAsync();
        await Dispatcher().DispatchAsync();
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await Dispatcher().DispatchAsync();

        Assert.Equal(["olive@acme.test", "team@acme.test"], Received("used 80%"));
        Assert.Equal(["olive@acme.test", "team@acme.test"], Received("used 90%"));
        Assert.Equal(4, smtp.Messages.Count);
        var mail = smtp.Messages.First(m => m.To.Mailboxes.Single().Address == "olive@acme.test");
        Assert.Contains("Hello Olive", mail.TextBody);
        Assert.Contains("November 2026", mail.TextBody);

        // A new month starts the thresholds again.
        harness.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero));
        for (var i = 0; i < 8; i++) await harness.Check.CheckAsync(CheckHarness.With(keys));
        await harness.Quotas.FlushNotificationsAsync();
        await Dispatcher().DispatchAsync();
        Assert.Equal(4, Received("used 80%").Count);
        Assert.Contains(smtp.Messages, m => m.TextBody!.Contains("December 2026"));
    }

    [Fact]
    public async Task Keys_rotated_or_revoked_and_an_application_taken_offline_by_staff_are_noticed()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync(name: "Storefront");
        await PeopleAsync(accountId, muted: NoticeKind.Keys);

        var rotated = await harness.KeyService.RotateAsync(CheckHarness.Admin, applicationId, RotationGrace.Immediately);
        await harness.KeyService.RevokeAsync(CheckHarness.Admin, applicationId, rotated.KeyPairId);
        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, false, "Unpaid invoice");
        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, false, "Unpaid invoice");
        await Dispatcher().DispatchAsync();

        Assert.Equal(["olive@acme.test", "team@acme.test"], Received("New keys for an application"));
        Assert.Equal(["olive@acme.test", "team@acme.test"], Received("A key pair of an application was revoked"));
        // The owner who turned key notices off still hears that the application went offline; once.
        Assert.Equal(["olive@acme.test", "quiet@acme.test", "team@acme.test"], Received("An application was taken offline"));
        Assert.Contains("Unpaid invoice", smtp.Messages.First(m => m.Subject!.Contains("offline")).TextBody!);
        // What the owner typed (the application's name) is in the bodies, never in a subject: the subject is shown unopened.
        Assert.All(smtp.Messages, m => Assert.DoesNotContain("Storefront", m.Subject));
        Assert.Contains("Storefront", smtp.Messages.First(m => m.Subject!.Contains("offline")).TextBody!);
    }

    [Fact]
    public async Task An_owner_chooses_their_notices_and_the_account_s_extra_recipients()
    {
        var (accountId, _, _) = await harness.CreateApplicationAsync();
        await PeopleAsync(accountId, muted: NoticeKind.None);
        string oliveId;
        await using (var db = harness.Database.CreateContext())
            oliveId = (await db.Users.SingleAsync(u => u.Email == "olive@acme.test")).Id;
        var olive = new Viewer(oliveId, "Olive", Roles.Owner, accountId);

        await using (var db = harness.Database.CreateContext())
        {
            var settings = Settings(db);
            await settings.SaveAsync(olive, NoticeKind.Quota, "ops@acme.test; billing@acme.test\nops@acme.test");
            await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() => settings.SaveAsync(olive, NoticeKind.Quota, "not an address"));
        }
        await using (var db = harness.Database.CreateContext())
        {
            var saved = await Settings(db).GetAsync(olive);
            Assert.Equal(NoticeKind.ApplicationOffline | NoticeKind.Keys | NoticeKind.WebhookEndpointDisabled, saved.Muted);
            Assert.Equal("ops@acme.test\nbilling@acme.test", saved.ExtraRecipients);
            Assert.True(saved.CanEditRecipients);
        }
    }

    [Fact]
    public async Task Extra_recipients_get_nothing_until_they_follow_the_one_link_mailed_to_them()
    {
        var (accountId, applicationId, _) = await harness.CreateApplicationAsync(name: "Storefront");
        string oliveId, accountName;
        await using (var db = harness.Database.CreateContext())
        {
            accountName = (await db.Accounts.SingleAsync(a => a.Id == accountId)).Name;
            var user = new ControlPanelUser { UserName = "olive@acme.test", Email = "olive@acme.test", DisplayName = "Olive", AccountId = accountId, PasswordHash = "set" };
            db.Users.Add(user);
            // Notices go to the account's Owners by membership.
            db.AccountMembers.Add(new AccountMember { AccountId = accountId, UserId = user.Id, Role = Roles.Owner });
            await db.SaveChangesAsync();
            oliveId = user.Id;
        }
        var olive = new Viewer(oliveId, "Olive", Roles.Owner, accountId);
        // A read-only access token of hers changes nothing and mails nobody.
        await using (var db = harness.Database.CreateContext())
            await Assert.ThrowsAsync<AccessDeniedException>(() => Settings(db).SaveAsync(olive with { ReadOnly = true }, NoticeKind.None, "stranger@elsewhere.test"));
        await using (var db = harness.Database.CreateContext())
            Assert.False(await db.NoticeRecipients.AnyAsync(r => r.AccountId == accountId));
        await using (var db = harness.Database.CreateContext())
            await Settings(db).SaveAsync(olive, NoticeKind.ApplicationOffline, "ops@acme.test");

        // Taken offline before ops confirmed: only the owner hears of it.
        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, false, "Unpaid invoice");
        await Dispatcher().DispatchAsync();
        Assert.Equal(["olive@acme.test"], Received("An application was taken offline"));
        var invitation = Assert.Single(smtp.Messages, m => m.Subject == "Confirm that you want ControlPanel notices");
        Assert.Equal("ops@acme.test", invitation.To.Mailboxes.Single().Address);
        // Nothing the owner typed reaches a stranger: not the account's nor the application's name.
        Assert.DoesNotContain(accountName, invitation.TextBody);
        Assert.DoesNotContain("Storefront", invitation.TextBody);
        await using (var db = harness.Database.CreateContext())
            Assert.Equal(["ops@acme.test"], (await Settings(db).GetAsync(olive)).Unconfirmed);

        // Saving the list again mails only the address new to it.
        await using (var db = harness.Database.CreateContext())
            await Settings(db).SaveAsync(olive, NoticeKind.ApplicationOffline, "ops@acme.test\nbilling@acme.test");
        await Dispatcher().DispatchAsync();
        Assert.Equal(["billing@acme.test", "ops@acme.test"], Received("Confirm that you want ControlPanel notices"));

        var token = Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(invitation.TextBody!, @"token=(\S+)").Groups[1].Value);
        await using (var db = harness.Database.CreateContext())
        {
            Assert.Null(await Settings(db).ConfirmAsync(token[..^2] + "xx"));
            Assert.Equal("ops@acme.test", await Settings(db).ConfirmAsync(token));
        }
        await using (var db = harness.Database.CreateContext())
            Assert.Equal(["billing@acme.test"], (await Settings(db).GetAsync(olive)).Unconfirmed);

        // Confirmed: ops hears of the next one; billing, still unconfirmed, does not.
        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, true, null);
        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, false, "Unpaid invoice");
        await Dispatcher().DispatchAsync();
        Assert.Equal(["olive@acme.test", "olive@acme.test", "ops@acme.test"], Received("An application was taken offline"));

        // Taken off the list, the address loses its confirmation, and a link past its lifetime confirms nothing.
        await using (var db = harness.Database.CreateContext())
            await Settings(db).SaveAsync(olive, NoticeKind.ApplicationOffline, "billing@acme.test");
        await using (var db = harness.Database.CreateContext())
            Assert.Null(await Settings(db).ConfirmAsync(token));
        harness.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        var billing = smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == "billing@acme.test");
        var late = Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(billing.TextBody!, @"token=(\S+)").Groups[1].Value);
        await using (var db = harness.Database.CreateContext())
            Assert.Null(await Settings(db).ConfirmAsync(late));
    }
}
