using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Tests.Accounts;

public class StaffInvitationsTests
{
    private static readonly Viewer Admin = new("admin-id", "Administrator", Roles.Admin, null);

    private static StaffInvitations.Form Form(string email, string role) => new() { Email = email, DisplayName = "Sam Staff", Role = role };

    private static async Task<IdentityTestServices> ServicesAsync()
    {
        var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();
        return services;
    }

    public static TheoryData<string> NotAdmins => new() { Roles.Support, Roles.Owner, "" };

    [Theory]
    [MemberData(nameof(NotAdmins))]
    public async Task Only_admins_may_invite_or_list_staff(string role)
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var invitations = scope.Get<StaffInvitations>();
        var viewer = new Viewer("someone", "Someone", role, role == Roles.Owner ? Guid.NewGuid() : null);

        await Assert.ThrowsAsync<AccessDeniedException>(() => invitations.InviteAsync(viewer, Form("sam@controlpanel.test", Roles.Support)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.Get<StaffAdministration>().ListAsync(viewer));
        await Assert.ThrowsAsync<AccessDeniedException>(() => invitations.PendingAsync(viewer));
        await Assert.ThrowsAsync<AccessDeniedException>(() => invitations.ResendAsync(viewer, "any"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => invitations.RevokeAsync(viewer, "any"));
        Assert.Null(await scope.Users().FindByEmailAsync("sam@controlpanel.test"));
    }

    [Fact]
    public async Task A_read_only_token_of_an_admin_lists_staff_but_invites_and_revokes_nobody()
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var invitations = scope.Get<StaffInvitations>();
        var readOnly = Admin with { ReadOnly = true };

        Assert.Empty(await invitations.PendingAsync(readOnly));
        await Assert.ThrowsAsync<AccessDeniedException>(() => invitations.InviteAsync(readOnly, Form("sam@controlpanel.test", Roles.Support)));
        var (_, invitation) = await invitations.InviteAsync(Admin, Form("sam@controlpanel.test", Roles.Support));
        await Assert.ThrowsAsync<AccessDeniedException>(() => invitations.ResendAsync(readOnly, invitation!.UserId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => invitations.RevokeAsync(readOnly, invitation!.UserId));
        Assert.Single(await invitations.PendingAsync(Admin));
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData("Superuser")]
    [InlineData("")]
    public async Task The_role_must_be_a_staff_role(string role)
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();

        var (result, invitation) = await scope.Get<StaffInvitations>().InviteAsync(Admin, Form("sam@controlpanel.test", role));
        Assert.False(result.Succeeded);
        Assert.Null(invitation);
        Assert.Null(await scope.Users().FindByEmailAsync("sam@controlpanel.test"));
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Admin)]
    public async Task An_invitation_is_accepted_once(string role)
    {
        await using var services = await ServicesAsync();
        StaffInvitations.Invitation invitation;
        await using (var scope = services.CreateScope())
        {
            var (result, invited) = await scope.Get<StaffInvitations>().InviteAsync(Admin, Form(" sam@controlpanel.test ", role));
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
            invitation = Assert.IsType<StaffInvitations.Invitation>(invited);

            var user = await scope.Users().FindByIdAsync(invitation.UserId);
            Assert.NotNull(user);
            Assert.Equal("sam@controlpanel.test", user.Email);
            Assert.Null(user.AccountId);
            Assert.False(await scope.Users().HasPasswordAsync(user));
            Assert.Equal([role], await scope.Users().GetRolesAsync(user));
            var member = Assert.Single(await scope.Get<StaffAdministration>().ListAsync(Admin));
            Assert.Equal(new StaffAdministration.Member(invitation.UserId, "sam@controlpanel.test", "Sam Staff", role, IsDisabled: false, HasAcceptedInvitation: false, LiveTokens: 0), member);
        }

        await using (var scope = services.CreateScope())
        {
            var accepted = await scope.Get<StaffInvitations>().AcceptAsync(invitation.UserId, invitation.Token, IdentityTestServices.Password);
            Assert.True(accepted.Succeeded, string.Join(" ", accepted.Errors.Select(e => e.Description)));
        }

        await using (var scope = services.CreateScope())
        {
            var invitations = scope.Get<StaffInvitations>();
            var again = await invitations.AcceptAsync(invitation.UserId, invitation.Token, "Another-password-2");
            Assert.False(again.Succeeded);

            var user = (await scope.Users().FindByIdAsync(invitation.UserId))!;
            Assert.True(await scope.Users().CheckPasswordAsync(user, IdentityTestServices.Password));
            Assert.False(await scope.Users().CheckPasswordAsync(user, "Another-password-2"));
            Assert.True(Assert.Single(await scope.Get<StaffAdministration>().ListAsync(Admin)).HasAcceptedInvitation);
        }
    }

    [Fact]
    public async Task A_wrong_token_or_user_is_refused_and_the_invitation_still_works()
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var invitations = scope.Get<StaffInvitations>();
        var (_, invitation) = await invitations.InviteAsync(Admin, Form("sam@controlpanel.test", Roles.Support));
        Assert.NotNull(invitation);

        Assert.False((await invitations.AcceptAsync(invitation.UserId, "not-a-token", IdentityTestServices.Password)).Succeeded);
        Assert.False((await invitations.AcceptAsync("no-such-user", invitation.Token, IdentityTestServices.Password)).Succeeded);
        Assert.False((await invitations.AcceptAsync(invitation.UserId, invitation.Token, "short")).Succeeded);

        Assert.True((await invitations.AcceptAsync(invitation.UserId, invitation.Token, IdentityTestServices.Password)).Succeeded);
    }

    [Fact]
    public async Task A_token_for_one_invitee_does_not_accept_another()
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var invitations = scope.Get<StaffInvitations>();
        var (_, first) = await invitations.InviteAsync(Admin, Form("first@controlpanel.test", Roles.Support));
        var (_, second) = await invitations.InviteAsync(Admin, Form("second@controlpanel.test", Roles.Admin));

        Assert.False((await invitations.AcceptAsync(second!.UserId, first!.Token, IdentityTestServices.Password)).Succeeded);
        Assert.False(await scope.Users().HasPasswordAsync((await scope.Users().FindByIdAsync(second.UserId))!));
    }

    [Fact]
    public async Task Inviting_an_existing_email_fails()
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var invitations = scope.Get<StaffInvitations>();
        Assert.True((await invitations.InviteAsync(Admin, Form("sam@controlpanel.test", Roles.Support))).Result.Succeeded);

        var (result, invitation) = await invitations.InviteAsync(Admin, Form("Sam@controlpanel.test", Roles.Admin));
        Assert.False(result.Succeeded);
        Assert.Null(invitation);
        Assert.Single(await scope.Get<StaffAdministration>().ListAsync(Admin));
    }

    [Fact]
    public async Task A_registered_owner_cannot_be_taken_over_through_an_invitation_link()
    {
        // AcceptAsync must not set a password for a user who already has one, whatever the token.
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var (registered, owner) = await scope.Get<Registration>().RegisterOwnerAsync(new Registration.Form
        {
            AccountName = "Acme Ltd",
            DisplayName = "Olivia",
            Email = "olivia@acme.test",
            Password = IdentityTestServices.Password,
            ConfirmPassword = IdentityTestServices.Password,
        });
        Assert.True(registered.Succeeded);
        var token = await scope.Users().GeneratePasswordResetTokenAsync(owner!);

        Assert.False((await scope.Get<StaffInvitations>().AcceptAsync(owner!.Id, token, "Taken-over-password-1")).Succeeded);
        Assert.True(await scope.Users().CheckPasswordAsync(owner, IdentityTestServices.Password));
    }

    [Fact]
    public async Task A_pending_invitation_shows_when_its_link_expires_and_a_resend_ends_the_old_link()
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var invitations = scope.Get<StaffInvitations>();
        var (_, first) = await invitations.InviteAsync(Admin, Form("sam@controlpanel.test", Roles.Support));

        var pending = Assert.Single(await invitations.PendingAsync(Admin));
        Assert.Equal(pending.SentAt + invitations.LinkLifetime, pending.ExpiresAt);
        Assert.Equal(first!.ExpiresAt, pending.ExpiresAt);
        Assert.False(pending.IsExpired);
        Assert.Equal(StaffInvitations.LinkState.Valid, (await invitations.CheckAsync(first.UserId, first.Token)).State);

        var second = await invitations.ResendAsync(Admin, first.UserId);
        Assert.Equal(StaffInvitations.LinkState.Replaced, (await invitations.CheckAsync(first.UserId, first.Token)).State);
        Assert.False((await invitations.AcceptAsync(first.UserId, first.Token, IdentityTestServices.Password)).Succeeded);
        Assert.True((await invitations.AcceptAsync(second.UserId, second.Token, IdentityTestServices.Password)).Succeeded);
        Assert.Equal(StaffInvitations.LinkState.Used, (await invitations.CheckAsync(second.UserId, second.Token)).State);
        Assert.Empty(await invitations.PendingAsync(Admin));
        await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() => invitations.ResendAsync(Admin, second.UserId));
        await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() => invitations.RevokeAsync(Admin, second.UserId));

        await using var db = services.CreateContext();
        var actions = db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Action).ToList();
        Assert.Equal([Audit.AuditActions.StaffInvited, Audit.AuditActions.StaffInvitationResent, Audit.AuditActions.StaffInvitationAccepted], actions);
    }

    [Fact]
    public async Task A_revoked_invitation_link_is_not_valid_and_the_email_can_be_invited_again()
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var invitations = scope.Get<StaffInvitations>();
        var (_, invitation) = await invitations.InviteAsync(Admin, Form("sam@controlpanel.test", Roles.Admin));

        await invitations.RevokeAsync(Admin, invitation!.UserId);

        Assert.Equal(StaffInvitations.LinkState.NotValid, (await invitations.CheckAsync(invitation.UserId, invitation.Token)).State);
        Assert.False((await invitations.AcceptAsync(invitation.UserId, invitation.Token, IdentityTestServices.Password)).Succeeded);
        Assert.Empty(await invitations.PendingAsync(Admin));
        Assert.True((await invitations.InviteAsync(Admin, Form("sam@controlpanel.test", Roles.Support))).Result.Succeeded);
        await using var db = services.CreateContext();
        Assert.Contains(db.AuditEntries, e => e.Action == Audit.AuditActions.StaffInvitationRevoked && e.Changes == "Revoked the invitation of sam@controlpanel.test as Admin");
    }

    [Fact]
    public async Task A_link_for_an_owner_or_nobody_is_not_an_invitation()
    {
        await using var services = await ServicesAsync();
        await using var scope = services.CreateScope();
        var (_, owner) = await scope.Get<Registration>().RegisterOwnerAsync(new Registration.Form
        {
            AccountName = "Acme Ltd",
            DisplayName = "Olivia",
            Email = "olivia@acme.test",
            Password = IdentityTestServices.Password,
            ConfirmPassword = IdentityTestServices.Password,
        });
        var token = await scope.Users().GeneratePasswordResetTokenAsync(owner!);
        var invitations = scope.Get<StaffInvitations>();

        Assert.Equal(new StaffInvitations.LinkCheck(StaffInvitations.LinkState.NotValid), await invitations.CheckAsync(owner!.Id, token));
        Assert.Equal(StaffInvitations.LinkState.NotValid, (await invitations.CheckAsync("no-such-user", token)).State);
        Assert.Equal(StaffInvitations.LinkState.NotValid, (await invitations.CheckAsync(null, null)).State);
    }
}
