using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>Invitations by email: mailed, shown once, expiring, single use, sent again, revoked; and Admins inviting a new account's first Owner.</summary>
public sealed class MemberInvitationsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(TestClock.Start);
    private IdentityTestServices identity = default!;
    private Viewer owner = default!;
    private Guid acme;

    public async Task InitializeAsync()
    {
        identity = await IdentityTestServices.CreateAsync(clock: clock);
        await identity.EnsureRolesAsync();
        var user = await identity.RegisterOwnerAsync();
        acme = user.AccountId!.Value;
        owner = new Viewer(user.Id, user.DisplayName, Roles.Owner, acme);
    }

    public async Task DisposeAsync() => await identity.DisposeAsync();

    private async Task<T> UseAsync<T>(Func<MemberInvitations, Task<T>> action)
    {
        await using var scope = identity.CreateScope();
        return await action(scope.Get<MemberInvitations>());
    }

    private Task<MemberInvitations.Issued> InviteAsync(string email = "dana@acme.test", string role = Roles.Developer, Viewer? by = null) =>
        UseAsync(i => i.InviteAsync(by ?? owner, acme, new MemberInvitations.Form { Email = email, Role = role }));

    private static string TokenOf(MemberInvitations.Issued issued) => QueryHelpers.ParseQuery(issued.Link.Query)["token"].ToString();

    private Task<(Microsoft.AspNetCore.Identity.IdentityResult Result, ControlPanelUser? User)> AcceptAsNewAsync(string token) =>
        UseAsync(i => i.AcceptAsNewAsync(token, "Dana Developer", IdentityTestServices.Password));

    [Fact]
    public async Task An_invitation_is_mailed_through_the_outbox_accepted_once_and_audited()
    {
        var issued = await InviteAsync();
        Assert.Equal(clock.GetUtcNow().UtcDateTime + TimeSpan.FromHours(72), issued.ExpiresAt);
        Assert.StartsWith(IdentityTestServices.PublicBaseUrl + PublicLinks.JoinAccountPath + "?token=", issued.Link.AbsoluteUri);

        await using (var db = identity.CreateContext())
        {
            var mail = await db.OutboxMails.SingleAsync(m => m.Kind == MailKinds.MemberInvitation);
            Assert.Equal("dana@acme.test", mail.To);
            Assert.Contains(issued.Link.AbsoluteUri, mail.TextBody);
            // Only the hash of the link's token is kept.
            Assert.DoesNotContain(await db.MemberInvitations.Select(i => i.TokenHash).ToListAsync(), h => h == TokenOf(issued));
        }

        var check = await UseAsync(i => i.CheckAsync(TokenOf(issued)));
        Assert.Equal(new MemberInvitations.LinkCheck(MemberInvitations.LinkState.Valid, "Acme", Roles.Developer, "dana@acme.test", false), check);

        var (result, user) = await AcceptAsNewAsync(TokenOf(issued));
        Assert.True(result.Succeeded);
        Assert.True(user!.EmailConfirmed);
        await using (var scope = identity.CreateScope())
        {
            var members = scope.Get<AccountMembers>();
            Assert.Contains(await members.ListAsync(owner, acme), m => m.UserId == user.Id && m.Role == Roles.Developer);
        }
        Assert.Empty(await UseAsync(i => i.PendingAsync(owner, acme)));

        // Single use.
        Assert.Equal(MemberInvitations.LinkState.NotValid, (await UseAsync(i => i.CheckAsync(TokenOf(issued)))).State);
        var again = await Assert.ThrowsAsync<ValidationException>(() => AcceptAsNewAsync(TokenOf(issued)));
        Assert.Equal(MemberInvitations.NotValid, again.Message);

        await using (var db = identity.CreateContext())
        {
            var actions = await db.AuditEntries.Where(e => e.AccountId == acme).Select(e => e.Action).ToListAsync();
            Assert.Contains(AuditActions.MemberInvited, actions);
            Assert.Contains(AuditActions.MemberJoined, actions);
        }
    }

    [Fact]
    public async Task A_link_expires_and_sending_it_again_replaces_it()
    {
        var first = await InviteAsync();
        clock.Advance(TimeSpan.FromHours(73));
        Assert.Equal(MemberInvitations.LinkState.Expired, (await UseAsync(i => i.CheckAsync(TokenOf(first)))).State);
        var expired = await Assert.ThrowsAsync<ValidationException>(() => AcceptAsNewAsync(TokenOf(first)));
        Assert.Equal(MemberInvitations.Expired, expired.Message);
        Assert.True(Assert.Single(await UseAsync(i => i.PendingAsync(owner, acme))).IsExpired);

        var second = await UseAsync(i => i.ResendAsync(owner, acme, first.Id));
        Assert.NotEqual(TokenOf(first), TokenOf(second));
        Assert.Equal(MemberInvitations.LinkState.NotValid, (await UseAsync(i => i.CheckAsync(TokenOf(first)))).State);
        Assert.True((await AcceptAsNewAsync(TokenOf(second))).Result.Succeeded);
        await using var db = identity.CreateContext();
        Assert.Equal(2, await db.OutboxMails.CountAsync(m => m.Kind == MailKinds.MemberInvitation));
    }

    [Fact]
    public async Task A_revoked_invitation_cannot_be_accepted()
    {
        var issued = await InviteAsync();
        await UseAsync(async i => { await i.RevokeAsync(owner, acme, issued.Id); return true; });

        Assert.Equal(MemberInvitations.LinkState.NotValid, (await UseAsync(i => i.CheckAsync(TokenOf(issued)))).State);
        await Assert.ThrowsAsync<ValidationException>(() => AcceptAsNewAsync(TokenOf(issued)));
        Assert.Empty(await UseAsync(i => i.PendingAsync(owner, acme)));
    }

    [Fact]
    public async Task Members_and_pending_addresses_are_not_invited_twice_and_roles_are_the_members()
    {
        await InviteAsync("dana@acme.test");
        var twice = await Assert.ThrowsAsync<ValidationException>(() => InviteAsync("DANA@acme.test"));
        Assert.Contains("already invited", twice.Message);
        var member = await Assert.ThrowsAsync<ValidationException>(() => InviteAsync("olive@controlpanel.test"));
        Assert.Contains("already a member", member.Message);
        await Assert.ThrowsAsync<ValidationException>(() => InviteAsync("sam@acme.test", Roles.Admin));
    }

    [Theory]
    [InlineData(Roles.Developer)]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Support)]
    public async Task Only_those_who_manage_the_accounts_members_invite(string role)
    {
        var viewer = new Viewer("someone", "Someone", role, role == Roles.Support ? null : acme);
        await Assert.ThrowsAsync<AccessDeniedException>(() => InviteAsync(by: viewer));
        var issued = await InviteAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync(i => i.ResendAsync(viewer, acme, issued.Id)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync(async i => { await i.RevokeAsync(viewer, acme, issued.Id); return true; }));
    }

    [Fact]
    public async Task Someone_who_already_signs_in_accepts_signed_in_as_the_invited_address()
    {
        await using (var scope = identity.CreateScope())
        {
            var (result, _) = await scope.Get<Registration>().RegisterOwnerAsync(new Registration.Form
            {
                AccountName = "Globex",
                DisplayName = "Gina",
                Email = "gina@globex.test",
                Password = IdentityTestServices.Password,
                ConfirmPassword = IdentityTestServices.Password,
            });
            Assert.True(result.Succeeded);
        }
        await using var db = identity.CreateContext();
        var gina = await db.Users.SingleAsync(u => u.Email == "gina@globex.test");
        var issued = await InviteAsync("gina@globex.test", Roles.Viewer);
        Assert.True((await UseAsync(i => i.CheckAsync(TokenOf(issued)))).HasSignIn);

        clock.Advance(TimeSpan.FromMinutes(1));
        var someoneElse = new Viewer(owner.UserId, owner.Name, "", null);
        await Assert.ThrowsAsync<ValidationException>(() => UseAsync(i => i.AcceptAsync(TokenOf(issued), someoneElse)));
        Assert.Equal(acme, await UseAsync(i => i.AcceptAsync(TokenOf(issued), new Viewer(gina.Id, "Gina", "", null))));

        await using var scope2 = identity.CreateScope();
        var memberships = await scope2.Get<AccountMembers>().OfAsync(gina.Id);
        Assert.Equal([("Globex", Roles.Owner), ("Acme", Roles.Viewer)], memberships.Select(m => (m.AccountName, m.Role)));
    }

    [Fact]
    public async Task An_admin_invites_the_first_owner_of_a_new_account()
    {
        var admin = new Viewer("admin-id", "Ada Admin", Roles.Admin, null);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            UseAsync(i => i.InviteFirstOwnerAsync(owner, new MemberInvitations.NewAccountForm { AccountName = "Hooli", Email = "hank@hooli.test" })));

        var issued = await UseAsync(i => i.InviteFirstOwnerAsync(admin, new MemberInvitations.NewAccountForm { AccountName = "Hooli", Email = "hank@hooli.test" }));
        Assert.Equal(Roles.Owner, issued.Role);
        var (result, hank) = await UseAsync(i => i.AcceptAsNewAsync(TokenOf(issued), "Hank", IdentityTestServices.Password));
        Assert.True(result.Succeeded);

        await using var scope = identity.CreateScope();
        var acting = await scope.Get<AccountMembers>().ActingAsync(new Viewer(hank!.Id, "Hank", "", null), null);
        Assert.Equal((Roles.Owner, issued.AccountId), (acting.Role, acting.AccountId));
        await using var db = identity.CreateContext();
        Assert.Equal("Hooli", (await db.Accounts.SingleAsync(a => a.Id == issued.AccountId)).Name);
    }
}
