using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// Changing one's sign-in address (issue 23): the password proves it, the new address confirms it by a link mailed to it,
/// and then the old address is told and every sign-in and access token ends, as after a password change.
/// </summary>
public sealed class EmailChangeTests : AccountTest
{
    private const string NewAddress = "olive.new@controlpanel.test";
    private async Task RequestAsync(Viewer viewer, string address, string password = IdentityTestServices.Password)
    {
        await using var scope = Identity.CreateScope();
        await scope.Get<EmailChange>().RequestAsync(viewer, new EmailChange.Form { NewEmail = address, Password = password });
    }

    private async Task<bool> ConfirmAsync(Uri link)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query);
        await using var scope = Identity.CreateScope();
        return await scope.Get<EmailChange>().ConfirmAsync(query["userId"], query["email"], query["token"]);
    }

    private async Task<List<OutboxMail>> MailsAsync(string kind)
    {
        await using var db = Database.CreateContext();
        return await db.OutboxMails.Where(m => m.Kind == kind).OrderBy(m => m.CreatedAt).ToListAsync();
    }

    private static Uri LinkIn(OutboxMail mail) =>
        new(mail.TextBody.Split('\n').Select(l => l.Trim()).Single(l => l.Contains(PublicLinks.ChangeEmailPath, StringComparison.Ordinal)));

    [Fact]
    public async Task The_new_address_confirms_by_link_then_the_old_one_is_told_and_every_sign_in_and_token_ends()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var viewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        Guid signIn;
        await using (var scope = Identity.CreateScope())
            signIn = await scope.Get<SignIns>().RecordAsync(null, owner.Id, (await scope.Users().FindByIdAsync(owner.Id))!.SecurityStamp!);
        IssuedAccessToken token;
        await using (var scope = Identity.CreateScope())
            token = await scope.Get<AccessTokenService>().CreateAsync(viewer, new AccessTokenService.Form { Name = "deploy", Scope = AccessTokenScope.ReadWrite });

        await RequestAsync(viewer, NewAddress);

        // Nothing changes until the link is followed.
        var sent = Assert.Single(await MailsAsync(MailKinds.EmailChange));
        Assert.Equal(NewAddress, sent.To);
        await using (var db = Database.CreateContext())
            Assert.Equal("olive@controlpanel.test", (await db.Users.SingleAsync(u => u.Id == owner.Id)).Email);

        Assert.True(await ConfirmAsync(LinkIn(sent)));

        await using (var db = Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == owner.Id);
            Assert.Equal(NewAddress, user.Email);
            Assert.Equal(NewAddress, user.UserName);
            Assert.True(user.EmailConfirmed);
            Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == AuditActions.EmailChanged && e.Changes.Contains("1 access token(s) revoked"));
        }
        Assert.Equal("olive@controlpanel.test", Assert.Single(await MailsAsync(MailKinds.EmailChanged)).To);
        await using (var scope = Identity.CreateScope())
        {
            Assert.Equal(AccessTokenService.Refusal.Revoked, (await scope.Get<AccessTokenService>().AuthenticateAsync(token.Token, null)).Refused);
            Assert.False(await scope.Get<SignIns>().IsCurrentAsync(signIn, (await scope.Users().FindByIdAsync(owner.Id))!));
        }
        // The link works once.
        Assert.False(await ConfirmAsync(LinkIn(sent)));
    }

    [Fact]
    public async Task A_wrong_password_counts_towards_lockout_and_a_taken_address_is_sent_nothing()
    {
        var owner = await Identity.RegisterOwnerAsync();
        var viewer = new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId);
        await Assert.ThrowsAsync<ValidationException>(() => RequestAsync(viewer, NewAddress, "Wrong-password-9"));
        await using (var db = Database.CreateContext())
            Assert.Equal(1, (await db.Users.SingleAsync(u => u.Id == owner.Id)).AccessFailedCount);
        await Assert.ThrowsAsync<ValidationException>(() => RequestAsync(viewer, "OLIVE@controlpanel.test"));

        await using (var scope = Identity.CreateScope())
        {
            var other = new ControlPanelUser { UserName = NewAddress, Email = NewAddress, DisplayName = "Someone else" };
            Assert.True((await scope.Users().CreateAsync(other, IdentityTestServices.Password)).Succeeded);
        }
        // Answers as if sent, so the form does not tell who has an account.
        await RequestAsync(viewer, NewAddress);
        Assert.Empty(await MailsAsync(MailKinds.EmailChange));
    }
}
