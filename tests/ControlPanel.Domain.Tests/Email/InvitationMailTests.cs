using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Email;
using ControlPanel.Domain.Tests.Accounts;
using ControlPanel.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Email;

/// <summary>A staff invitation goes out by mail through a real SMTP server, and its link is accepted.</summary>
public sealed class InvitationMailTests
{
    private static readonly Viewer Admin = new("admin-id", "Administrator", Roles.Admin, null);

    [Fact]
    public async Task An_invitation_is_mailed_with_its_expiry_and_its_link_is_accepted()
    {
        await using var server = await TestSmtpServer.StartNewAsync();
        var email = server.Options();
        await using var services = await IdentityTestServices.CreateAsync(email: email);
        await services.EnsureRolesAsync();

        StaffInvitations.Invitation invitation;
        await using (var scope = services.CreateScope())
        {
            var (result, issued) = await scope.Get<StaffInvitations>().InviteAsync(Admin,
                new StaffInvitations.Form { Email = "sam@controlpanel.test", DisplayName = "Sam Staff", Role = Roles.Support });
            Assert.True(result.Succeeded);
            invitation = issued!;
        }

        var dispatcher = new MailDispatcher(services.Factory, MailTransport.For(email), Options.Create(email), TimeProvider.System, NullLogger<MailDispatcher>.Instance);
        Assert.Equal(1, await dispatcher.DispatchAsync());

        var mail = await server.WaitForAsync("sam@controlpanel.test");
        Assert.Equal("You are invited to ControlPanel", mail.Subject);
        Assert.Contains("as Support", mail.TextBody);
        Assert.Contains(invitation.ExpiresAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC", mail.TextBody);
        var link = TestSmtpServer.LinkIn(mail, PublicLinks.AcceptInvitationPath);
        Assert.Equal("panel.controlpanel.test", link.Host);
        Assert.Contains(link.AbsoluteUri, mail.HtmlBody!.Replace("&amp;", "&"));

        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        await using (var scope = services.CreateScope())
            Assert.True((await scope.Get<StaffInvitations>().AcceptAsync(query["userId"]!, query["token"]!, IdentityTestServices.Password)).Succeeded);
    }
}
