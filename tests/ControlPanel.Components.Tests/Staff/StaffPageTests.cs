using System.Reflection;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using StaffPage = ControlPanel.Web.Components.Pages.Staff.Staff;

namespace ControlPanel.Components.Tests.Staff;

public sealed class StaffPageTests : ComponentTest
{
    private async Task<StaffInvitations.Invitation> InviteAsync(string email, string role = Roles.Support)
    {
        var (result, invitation) = await UseAsync<StaffInvitations, (IdentityResult, StaffInvitations.Invitation?)>(invitations =>
            invitations.InviteAsync(Admin, new StaffInvitations.Form { Email = email, DisplayName = "Sam Staff", Role = role }));
        Assert.True(result.Succeeded);
        return invitation!;
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string action) =>
        (await UseAsync<AuditLog, AuditLog.Page>(log => log.SearchAsync(Admin, new AuditLog.Filter(Action: action)))).Entries;

    [Fact]
    public void Only_admins_may_open_the_page()
    {
        var authorize = typeof(StaffPage).GetCustomAttribute<AuthorizeAttribute>();
        Assert.Equal(Roles.Admin, authorize?.Roles);
    }

    [Fact]
    public async Task Admin_sees_the_invite_form_with_a_labelled_role_and_how_long_a_link_lasts()
    {
        SignIn(Admin);
        var page = Render<StaffPage>();

        page.WaitForElement("[data-testid=invite-card]");
        Assert.NotNull(page.Find("input[data-testid=invite-email]"));
        // The role picker is a labelled combobox, not a bare dropdown.
        var role = page.Find("[data-testid=invite-role]");
        Assert.Equal("combobox", role.GetAttribute("role"));
        Assert.Equal("Role", role.GetAttribute("aria-label"));
        // The configured default lifetime (AccountSecurity:InvitationLinkHours = 72).
        Assert.Contains("It works once, for 3 days.", page.Find("[data-testid=invite-card]").TextContent);
        Assert.Contains("No pending invitations.", page.Find("[data-testid=pending-invitations]").TextContent);
    }

    [Fact]
    public async Task Inviting_shows_the_link_with_a_copy_button_and_its_expiry_and_lists_the_invitation_as_pending()
    {
        SignIn(Admin);
        var page = Render<StaffPage>();

        page.Find("input[data-testid=invite-email]").Change("sam@components.test");
        page.Find("input[data-testid=invite-name]").Change("Sam Staff");
        await page.Find("form").SubmitAsync();

        page.WaitForElement("[data-testid=invitation]");
        // The form is empty again, with no "required" message for the fields it just emptied.
        Assert.Empty(page.Find("[data-testid=invite-card] form").QuerySelectorAll(".mud-input-error"));
        Assert.Equal("", page.Find("input[data-testid=invite-email]").GetAttribute("value") ?? "");
        var link = page.Find("[data-testid=invitation-link]").TextContent;
        Assert.Contains("/Account/AcceptInvitation?userId=", link);
        Assert.Single(page.Find("[data-testid=invitation]").QuerySelectorAll("[data-testid=copy]"));
        var expires = page.Find("[data-testid=invitation-expires]").TextContent;
        var expected = (DateTime.UtcNow + TimeSpan.FromHours(72)).ToString("yyyy-MM-dd");
        Assert.Contains(expected, expires);

        var row = Assert.Single(page.FindAll("[data-testid=pending-invitations] tbody tr"));
        Assert.Contains("sam@components.test", row.TextContent);
        Assert.Contains(expected, row.QuerySelector("[data-testid=invitation-expiry]")!.TextContent);
        Assert.NotNull(row.QuerySelector("[data-testid=resend]"));
        Assert.NotNull(row.QuerySelector("[data-testid=revoke]"));
        // Not a member until they accept.
        Assert.DoesNotContain("sam@components.test", page.Find("[data-testid=staff-grid]").TextContent);

        var invited = Assert.Single(await AuditAsync(AuditActions.StaffInvited));
        Assert.Equal("Invited sam@components.test as Support", invited.Changes);
    }

    [Fact]
    public async Task The_invite_form_shows_human_messages_at_its_fields()
    {
        SignIn(Admin);
        var page = Render<StaffPage>();

        page.Find("input[data-testid=invite-email]").Change("not-an-email");
        await page.Find("form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("Enter a valid email address.", page.Markup));
        Assert.Contains("Enter their name.", page.Markup);
        Assert.DoesNotContain("field is required", page.Markup);
        Assert.DoesNotContain("is not a valid e-mail address", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=invitation]"));
    }

    [Fact]
    public async Task Resend_confirms_then_shows_a_new_link_and_the_old_one_stops_working()
    {
        var first = await InviteAsync("sam@components.test");
        SignIn(Admin);
        var page = Render<StaffPage>();

        // The click's handler waits for the dialog's answer: answer it, then let the click finish.
        var click = page.WaitForElement("[data-testid=resend]").ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("stops working", DialogHost.Markup);
        await confirm.ClickAsync(new());
        await click;

        page.WaitForElement("[data-testid=invitation]");
        // The form is empty again, with no "required" message for the fields it just emptied.
        Assert.Empty(page.Find("[data-testid=invite-card] form").QuerySelectorAll(".mud-input-error"));
        Assert.Equal("", page.Find("input[data-testid=invite-email]").GetAttribute("value") ?? "");
        var link = page.Find("[data-testid=invitation-link]").TextContent;
        Assert.DoesNotContain(Uri.EscapeDataString(first.Token), link);
        var check = await UseAsync<StaffInvitations, StaffInvitations.LinkCheck>(i => i.CheckAsync(first.UserId, first.Token));
        Assert.Equal(StaffInvitations.LinkState.Replaced, check.State);
        Assert.Single(await AuditAsync(AuditActions.StaffInvitationResent));
    }

    [Fact]
    public async Task Revoke_asks_in_the_danger_colour_and_removes_the_invitation()
    {
        var invitation = await InviteAsync("sam@components.test");
        SignIn(Admin);
        var page = Render<StaffPage>();

        var click = page.WaitForElement("[data-testid=revoke]").ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        await confirm.ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Assert.Contains("No pending invitations.", page.Find("[data-testid=pending-invitations]").TextContent));
        var check = await UseAsync<StaffInvitations, StaffInvitations.LinkCheck>(i => i.CheckAsync(invitation.UserId, invitation.Token));
        Assert.Equal(StaffInvitations.LinkState.NotValid, check.State);
        Assert.Equal("Revoked the invitation of sam@components.test as Support", Assert.Single(await AuditAsync(AuditActions.StaffInvitationRevoked)).Changes);
    }

    [Fact]
    public async Task Cancelling_revoke_keeps_the_invitation()
    {
        await InviteAsync("sam@components.test");
        SignIn(Admin);
        var page = Render<StaffPage>();

        var click = page.WaitForElement("[data-testid=revoke]").ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm-cancel]").ClickAsync(new());
        await click;

        Assert.Single(page.FindAll("[data-testid=pending-invitations] tbody tr"));
        Assert.Empty(await AuditAsync(AuditActions.StaffInvitationRevoked));
    }

    [Fact]
    public async Task Accepted_staff_are_listed_as_members_not_as_pending()
    {
        var support = await NewStaffAsync(Roles.Support);
        SignIn(Admin);
        var page = Render<StaffPage>();

        page.WaitForAssertion(() => Assert.Contains("Support person", page.Find("[data-testid=staff-grid]").TextContent));
        Assert.Contains("No pending invitations.", page.Find("[data-testid=pending-invitations]").TextContent);
        Assert.Single(await AuditAsync(AuditActions.StaffInvitationAccepted));
    }

    public static TheoryData<string> NotAdmins => new() { Roles.Support, Roles.Owner };

    [Theory]
    [MemberData(nameof(NotAdmins))]
    public async Task Support_and_owners_see_not_found_and_no_staff_or_invitations(string role)
    {
        await InviteAsync("pending@components.test");
        var viewer = role == Roles.Owner ? await NewOwnerAsync("Acme") : await NewStaffAsync(role);
        SignIn(viewer);
        var page = Render<StaffPage>();

        page.WaitForElement("[data-testid=not-found]");
        Assert.Empty(page.FindAll("[data-testid=invite]"));
        Assert.Empty(page.FindAll("[data-testid=staff-grid]"));
        Assert.DoesNotContain("pending@components.test", page.Markup);
    }

    [Fact]
    public async Task Admin_disables_a_staff_member_after_confirming_and_the_row_says_disabled_with_no_live_tokens()
    {
        var leaver = await NewStaffAsync(Roles.Support);
        await UseAsync<ControlPanel.Domain.AccessTokens.AccessTokenService, ControlPanel.Domain.AccessTokens.IssuedAccessToken>(tokens =>
            tokens.CreateAsync(Admin, new ControlPanel.Domain.AccessTokens.AccessTokenService.Form { Name = "mine" }));
        SignIn(Admin);
        var page = Render<StaffPage>();

        // The Admin's own row offers nothing that would lock themselves out.
        var rows = page.WaitForElements("[data-testid=staff-grid] tbody tr");
        var own = rows.Single(r => r.TextContent.Contains(ComponentTest.AdminEmail));
        Assert.Null(own.QuerySelector("[data-testid=disable]"));
        Assert.Null(own.QuerySelector("[data-testid=remove]"));
        Assert.Equal("1", own.QuerySelector("[data-testid=live-tokens]")!.TextContent);

        var row = rows.Single(r => r.TextContent.Contains("Support person"));
        var click = row.QuerySelector("[data-testid=disable]")!.ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("signed out everywhere", DialogHost.Markup);
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        await confirm.ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Assert.NotNull(page.FindAll("[data-testid=staff-grid] tbody tr")
            .Single(r => r.TextContent.Contains("Support person")).QuerySelector("[data-testid=disabled]")));
        Assert.NotNull(page.FindAll("[data-testid=staff-grid] tbody tr").Single(r => r.TextContent.Contains("Support person")).QuerySelector("[data-testid=enable]"));
        Assert.Single(await AuditAsync(AuditActions.UserDisabled));
        var members = await UseAsync<StaffAdministration, IReadOnlyList<StaffAdministration.Member>>(s => s.ListAsync(Admin));
        Assert.True(members.Single(m => m.UserId == leaver.UserId).IsDisabled);
    }

    [Fact]
    public async Task Admin_demotes_another_admin_after_confirming()
    {
        var other = await NewStaffAsync(Roles.Admin);
        SignIn(Admin);
        var page = Render<StaffPage>();

        var row = page.WaitForElements("[data-testid=staff-grid] tbody tr").Single(r => r.TextContent.Contains("Admin person"));
        var click = row.QuerySelector("[data-testid=change-role]")!.ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Assert.Contains("Make Admin",
            page.FindAll("[data-testid=staff-grid] tbody tr").Single(r => r.TextContent.Contains("Admin person")).TextContent));
        var roles = await UseAsync<StaffAdministration, IReadOnlyList<StaffAdministration.Member>>(s => s.ListAsync(Admin));
        Assert.Equal(Roles.Support, roles.Single(m => m.UserId == other.UserId).Role);
    }
}
