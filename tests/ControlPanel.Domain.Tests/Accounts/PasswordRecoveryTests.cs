using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

public class PasswordRecoveryTests
{
    private static readonly Viewer Admin = new("admin-id", "Administrator", Roles.Admin, null);
    private const string NewPassword = "Brand-new-password-2";

    private static async Task<(IdentityTestServices Services, ControlPanelUser Owner)> OwnerAsync()
    {
        var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();
        return (services, await services.RegisterOwnerAsync());
    }

    /// <summary>The mails that will go out (not the withheld rows a request that sends nothing saves).</summary>
    private static async Task<List<OutboxMail>> MailsAsync(IdentityTestServices services)
    {
        await using var db = services.CreateContext();
        return await db.OutboxMails.Where(m => m.FailedAt == null).OrderBy(m => m.CreatedAt).ToListAsync();
    }

    /// <summary>The userId and token of the reset link in a mail's text.</summary>
    private static (string UserId, string Token) LinkOf(OutboxMail mail)
    {
        var line = mail.TextBody.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(IdentityTestServices.PublicBaseUrl + PublicLinks.ResetPasswordPath, StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(line).Query);
        return (query["userId"]!, query["token"]!);
    }

    [Fact]
    public async Task An_unknown_address_gets_no_mail_and_a_known_one_gets_a_link_that_works_once()
    {
        var (services, owner) = await OwnerAsync();
        await using var _ = services;
        await using (var scope = services.CreateScope())
        {
            await scope.Get<PasswordRecovery>().RequestAsync("nobody@controlpanel.test");
            await scope.Get<PasswordRecovery>().RequestAsync(" OLIVE@controlpanel.test ");
        }

        var mail = Assert.Single(await MailsAsync(services));
        Assert.Equal(MailKinds.PasswordReset, mail.Kind);
        Assert.Equal("olive@controlpanel.test", mail.To);
        Assert.Contains("Hello Olive Owner", mail.TextBody);
        Assert.Contains("1 hour", mail.TextBody);
        var (userId, token) = LinkOf(mail);
        Assert.Equal(owner.Id, userId);

        string stampBefore;
        await using (var scope = services.CreateScope())
        {
            stampBefore = (await scope.Users().FindByIdAsync(owner.Id))!.SecurityStamp!;
            var recovery = scope.Get<PasswordRecovery>();
            Assert.True(await recovery.IsValidAsync(userId, token));
            Assert.True((await recovery.ResetAsync(userId, token, NewPassword)).Succeeded);
        }
        await using (var scope = services.CreateScope())
        {
            var user = (await scope.Users().FindByIdAsync(owner.Id))!;
            Assert.True(await scope.Users().CheckPasswordAsync(user, NewPassword));
            Assert.False(await scope.Users().CheckPasswordAsync(user, IdentityTestServices.Password));
            // A new stamp: every cookie issued before is refused, and the link is spent.
            Assert.NotEqual(stampBefore, user.SecurityStamp);
            var recovery = scope.Get<PasswordRecovery>();
            Assert.False(await recovery.IsValidAsync(userId, token));
            Assert.False((await recovery.ResetAsync(userId, token, "Another-password-3")).Succeeded);
        }
        // The security notice that the password changed.
        Assert.Contains(await MailsAsync(services), m => m.Kind == MailKinds.PasswordChanged && m.To == "olive@controlpanel.test");
    }

    [Fact]
    public async Task A_request_that_sends_nothing_does_the_same_work_as_one_that_sends_a_link()
    {
        var (services, owner) = await OwnerAsync();
        await using var _ = services;
        // Known, unknown, and known but over the hourly limit: each counts, makes a link and a mail, and saves one outbox row.
        var addresses = new[] { "olive@controlpanel.test", "nobody@controlpanel.test" }
            .Concat(Enumerable.Repeat("olive@controlpanel.test", new PasswordResetOptions().MailsPerAddressPerHour)).ToList();
        foreach (var address in addresses)
        {
            await using var scope = services.CreateScope();
            await scope.Get<PasswordRecovery>().RequestAsync(address);
        }

        await using var db = services.CreateContext();
        var rows = await db.OutboxMails.OrderBy(m => m.CreatedAt).ToListAsync();
        Assert.Equal(addresses.Count, rows.Count);
        var withheld = rows.Where(m => m.FailedAt is not null).ToList();
        Assert.Equal(2, withheld.Count);
        Assert.All(withheld, m => Assert.Equal((MailKinds.PasswordReset, "", (string?)null), (m.Kind, m.To, m.UserId)));
        Assert.All(rows, m => Assert.Equal(rows[0].Subject, m.Subject));
        // A withheld row keeps no link: over the limit, it would be a working one.
        Assert.All(withheld, m => Assert.Equal(("", ""), (m.TextBody, m.HtmlBody)));
        Assert.Contains(owner.Id, rows[0].TextBody);
    }

    [Fact]
    public async Task A_made_up_token_or_user_is_not_valid()
    {
        var (services, owner) = await OwnerAsync();
        await using var _ = services;
        await using var scope = services.CreateScope();
        var recovery = scope.Get<PasswordRecovery>();
        Assert.False(await recovery.IsValidAsync(owner.Id, "made-up"));
        Assert.False(await recovery.IsValidAsync("nobody", "made-up"));
        Assert.False(await recovery.IsValidAsync(null, null));
        Assert.False((await recovery.ResetAsync(owner.Id, "made-up", NewPassword)).Succeeded);
    }

    [Fact]
    public async Task One_address_gets_at_most_the_hourly_number_of_reset_mails()
    {
        var (services, _) = await OwnerAsync();
        await using var __ = services;
        for (var i = 0; i < 5; i++)
        {
            await using var scope = services.CreateScope();
            await scope.Get<PasswordRecovery>().RequestAsync("olive@controlpanel.test");
        }
        Assert.Equal(new PasswordResetOptions().MailsPerAddressPerHour, (await MailsAsync(services)).Count);
    }

    [Fact]
    public async Task Only_an_admin_sends_a_reset_to_someone_else_and_it_is_audited()
    {
        var (services, owner) = await OwnerAsync();
        await using var _ = services;
        await using var scope = services.CreateScope();
        var recovery = scope.Get<PasswordRecovery>();
        var ownerViewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        await Assert.ThrowsAsync<AccessDeniedException>(() => recovery.SendByAdminAsync(ownerViewer, owner.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => recovery.SendByAdminAsync(new Viewer("s", "Support", Roles.Support, null), owner.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => recovery.OwnersAsync(ownerViewer, owner.AccountId!.Value));

        Assert.Equal("olive@controlpanel.test", Assert.Single(await recovery.OwnersAsync(Admin, owner.AccountId!.Value)).Email);
        var sent = await recovery.SendByAdminAsync(Admin, owner.Id);
        Assert.False(sent.Mailed); // no SMTP host in these options: the Admin is shown the link
        Assert.StartsWith(IdentityTestServices.PublicBaseUrl + PublicLinks.ResetPasswordPath, sent.Link.AbsoluteUri);

        var mail = Assert.Single(await MailsAsync(services));
        Assert.Contains(sent.Link.AbsoluteUri, mail.TextBody);
        Assert.Contains("administrator", mail.TextBody);
        await using var db = services.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == ControlPanel.Domain.Audit.AuditActions.PasswordResetSent);
        Assert.Equal(owner.AccountId, entry.AccountId);
    }
}
