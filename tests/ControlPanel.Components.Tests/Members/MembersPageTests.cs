using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Web.Components.Pages.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Members;

/// <summary>The Members page per role: only the account's Owners manage members; to everyone else it does not exist.</summary>
public sealed class MembersPageTests : ComponentTest
{
    public static TheoryData<string> NotOwners => new() { Roles.Developer, Roles.Viewer, Roles.Admin, Roles.Support };

    [Theory]
    [MemberData(nameof(NotOwners))]
    public async Task Anyone_but_an_owner_gets_not_found_and_no_controls(string role)
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(role switch
        {
            Roles.Admin => Admin,
            Roles.Support => await NewStaffAsync(Roles.Support),
            _ => await NewMemberAsync(owner, role),
        });
        var page = Render<MembersPage>();

        page.WaitForAssertion(() => Assert.Contains("not found", page.Markup, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(page.FindAll("[data-testid=invite]"));
        Assert.Empty(page.FindAll("[data-testid=members]"));
        Assert.DoesNotContain(owner.Name, page.Markup);
    }

    [Fact]
    public async Task An_owner_sees_the_members_and_invites_someone_whose_link_is_shown_once_and_mailed()
    {
        var owner = await NewOwnerAsync("Initech");
        await NewMemberAsync(owner, Roles.Developer);
        SignIn(owner);
        var page = Render<MembersPage>();
        page.WaitForElement("[data-testid=members]");

        Assert.Equal([Roles.Owner, Roles.Developer], page.FindAll("[data-testid=member-role]").Select(e => e.TextContent));
        page.Find("input[data-testid=invite-email]").Change("vera@initech.test");
        await page.Find("form").SubmitAsync();

        var link = page.WaitForElement("[data-testid=invitation-link]").TextContent;
        Assert.Contains("/Account/JoinAccount?token=", link);
        // The form is empty again, with no "required" message for the field it just emptied.
        var form = page.Find("[data-testid=invite-card] form");
        Assert.Empty(form.QuerySelectorAll(".mud-input-error, .validation-message"));
        Assert.Equal("", page.Find("input[data-testid=invite-email]").GetAttribute("value") ?? "");
        Assert.Equal("vera@initech.test", Assert.Single(page.FindAll("[data-testid=pending-email]")).TextContent);
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync();
        var mail = await db.OutboxMails.SingleAsync(m => m.Kind == MailKinds.MemberInvitation && m.To == "vera@initech.test");
        Assert.Contains(link, mail.TextBody);
        Assert.Contains("Initech", mail.TextBody);
        Assert.DoesNotContain("Initech", mail.Subject);
    }

    [Fact]
    public async Task An_owner_changes_a_role_and_removes_a_member_after_confirming()
    {
        var owner = await NewOwnerAsync("Initech");
        var developer = await NewMemberAsync(owner, Roles.Developer);
        SignIn(owner);
        var page = Render<MembersPage>();
        page.WaitForElement("[data-testid=members]");

        var row = page.FindAll("[data-testid=members] tbody tr").Single(r => r.TextContent.Contains("Developer person"));
        var making = row.QuerySelector("[data-testid=make-viewer]")!.ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        await making;
        page.WaitForAssertion(() => Assert.Contains(Roles.Viewer, page.FindAll("[data-testid=member-role]").Select(e => e.TextContent)));

        row = page.FindAll("[data-testid=members] tbody tr").Single(r => r.TextContent.Contains("Developer person"));
        var removing = row.QuerySelector("[data-testid=remove]")!.ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        await removing;
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=members] tbody tr")));

        var memberships = await UseAsync<AccountMembers, IReadOnlyList<AccountMembers.Membership>>(m => m.OfAsync(developer.UserId));
        Assert.Empty(memberships);
    }

    [Fact]
    public async Task The_last_owner_cannot_remove_themselves_and_is_told_why()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(owner);
        var page = Render<MembersPage>();
        page.WaitForElement("[data-testid=members]");

        var removing = page.Find("[data-testid=members] tbody tr [data-testid=remove]").ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        await removing;

        Snackbars.WaitForAssertion(() => Assert.Contains(AccountMembers.LastOwner, Snackbars.Markup));
        Assert.Single(page.FindAll("[data-testid=members] tbody tr"));
    }
}
