using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Domain.Accounts;

namespace ControlPanel.Web.Api;

/// <summary>The answer to deleting an account: when its personal data is erased unless staff restore it first.</summary>
public sealed record AccountDeletionItem(Guid AccountId, DateTime ErasesAt);

/// <summary>Body of <c>PATCH /api/v1/manage/members/{userId}</c>.</summary>
public sealed record MemberRoleRequest(string? Role);

/// <summary>Body of <c>POST /api/v1/manage/accounts</c>: a new customer's account and the address of its first Owner.</summary>
public sealed record NewAccountRequest(string? Name, string? OwnerEmail);

/// <summary>Body of <c>POST /api/v1/manage/members/invitations</c>.</summary>
public sealed record MemberInvitationRequest(string? Email, string? Role);

public sealed record MemberItem(string UserId, string DisplayName, string Email, string Role, DateTime JoinedAt)
{
    public static MemberItem From(AccountMembers.Member m) => new(m.UserId, m.DisplayName, m.Email, m.Role, m.JoinedAt);
}

public sealed record MemberInvitationItem(Guid Id, string Email, string Role, string InvitedBy, DateTime SentAt, DateTime ExpiresAt, bool IsExpired)
{
    public static MemberInvitationItem From(MemberInvitations.Pending p) => new(p.Id, p.Email, p.Role, p.InvitedBy, p.SentAt, p.ExpiresAt, p.IsExpired);
}

/// <summary>An invitation just made or sent again: its link, this once (it is mailed too).</summary>
public sealed record IssuedMemberInvitation(Guid Id, string Email, string Role, string Link, DateTime ExpiresAt)
{
    public static IssuedMemberInvitation From(MemberInvitations.Issued i) => new(i.Id, i.Email, i.Role, i.Link.AbsoluteUri, i.ExpiresAt);
}

/// <summary>
/// An account's members and invitations under /api/v1/manage/members, in the group <see cref="ManagementApi"/> authenticates:
/// a member's token acts on the account it was made in (Owners' tokens; anyone else gets 195, as for what does not exist), an
/// Admin's names the account with <c>accountId</c>. The domain's <see cref="AccountMembers"/> and <see cref="MemberInvitations"/>
/// decide, as on the Members page. The account itself is here too: its Owner deletes it (naming it, as the panel asks) and an
/// Admin restores it during its grace period (<see cref="AccountDeletion"/>).
/// </summary>
public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder manage)
    {
        var members = manage.MapGroup("/members");
        members.MapGet("", ListMembersAsync).Named("ListMembers", "The account's members and their roles (Owners' tokens; Admin tokens name accountId)")
            .Answers<MemberItem[]>(StatusCodes.Status200OK).Example(null, new[] { Member });
        members.MapPatch("/{userId}", ChangeMemberRoleAsync).Named("ChangeMemberRole", "Give a member another role (Owner, Developer or Viewer); never leaves the account without an Owner")
            .Answers<MemberItem>(StatusCodes.Status200OK, write: true).Example(new MemberRoleRequest(Roles.Viewer), Member with { Role = Roles.Viewer });
        members.MapDelete("/{userId}", RemoveMemberAsync).Named("RemoveMember", "Take a member out of the account: their sign-in to it and the tokens they made in it end at once; never the last Owner")
            .Answers(StatusCodes.Status204NoContent, write: true);
        members.MapGet("/invitations", ListInvitationsAsync).Named("ListMemberInvitations", "Invitations not accepted or revoked yet")
            .Answers<MemberInvitationItem[]>(StatusCodes.Status200OK).Example(null, new[] { Pending });
        members.MapPost("/invitations", InviteAsync).Named("InviteMember", "Invite a person by email with a role; the link is mailed and answered this once")
            .Answers<IssuedMemberInvitation>(StatusCodes.Status201Created, write: true).Example(new MemberInvitationRequest("dana@example.com", Roles.Developer), Issued);
        members.MapPost("/invitations/{invitationId:guid}/resend", ResendAsync).Named("ResendMemberInvitation", "Send the invitation again with a new link; the previous link stops working")
            .Answers<IssuedMemberInvitation>(StatusCodes.Status200OK, write: true).Example(null, Issued);
        members.MapDelete("/invitations/{invitationId:guid}", RevokeAsync).Named("RevokeMemberInvitation", "Withdraw an invitation: its link stops working")
            .Answers(StatusCodes.Status204NoContent, write: true);
        manage.MapPost("/accounts", CreateAccountAsync).Named("CreateAccount", "Admin tokens: make an account for a new customer and invite its first Owner (the link is mailed and answered this once)")
            .Answers<IssuedMemberInvitation>(StatusCodes.Status201Created, write: true).Example(new NewAccountRequest("Hooli", "hank@example.com"), Issued with { Role = Roles.Owner });
        manage.MapDelete("/account", DeleteAccountAsync)
            .Named("DeleteAccount", "Owners' tokens: delete the token's account, its exact name in ?name=; its keys and members stop at once, staff can restore it until erasesAt")
            .Answers<AccountDeletionItem>(StatusCodes.Status200OK, write: true)
            .Example(null, new AccountDeletionItem(Guid.Parse("5b0f8a52-7c1d-4e3a-9f26-1d8e4c7a2b90"), new DateTime(2027, 1, 6, 9, 0, 0, DateTimeKind.Utc)));
        manage.MapPost("/accounts/{accountId:guid}/restore", RestoreAccountAsync)
            .Named("RestoreAccount", "Admin tokens: bring a deleted account back as it was, during its grace period")
            .Answers(StatusCodes.Status204NoContent, write: true);
        return manage;
    }

    private static readonly MemberItem Member = new("3f1c2b1e-0d3a-4c55-9a43-0c8b6f2f7d10", "Dana Developer", "dana@example.com", Roles.Developer,
        new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc));

    private static readonly MemberInvitationItem Pending = new(Guid.Parse("8a2d4c6e-1b3f-4d5a-9e7c-2f4a6b8c0d1e"), "dana@example.com", Roles.Developer,
        "Olivia Owner", new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 10, 9, 0, 0, DateTimeKind.Utc), false);

    private static readonly IssuedMemberInvitation Issued = new(Pending.Id, Pending.Email, Pending.Role,
        "https://panel.example.com/Account/JoinAccount?token=5d2e8c401f6a4b7e9c3d8a1f2e4b6c905d2e8c401f6a4b7e9c3d8a1f2e4b6c90", Pending.ExpiresAt);

    /// <summary>The account a call is about: the one a member's token was made in, or the one an Admin's names.</summary>
    private static Guid? AccountOf(ControlPanel.Domain.AccessTokens.AccessTokenService.Use use, string? accountId) =>
        use.Viewer.AccountId ?? (QueryText.TryParseId(accountId, out var named) ? named : null);

    private static Task<IResult> ListMembersAsync(HttpContext http, AccountMembers members, string? accountId) =>
        ManagementApi.AsTokenAsync(http, async use => AccountOf(use, accountId) is not { } account ? NameTheAccount() :
            TypedResults.Ok((await members.ListAsync(use.Viewer, account)).Select(MemberItem.From).ToArray()));

    private static Task<IResult> ChangeMemberRoleAsync(HttpContext http, string userId, AccountMembers members, string? accountId) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            if (AccountOf(use, accountId) is not { } account) return NameTheAccount();
            var body = await ApiBody.ReadJsonAsync(http, MembersJson.Default.MemberRoleRequest);
            if (body?.Role is not { } role) return ManagementApi.Invalid("Send a JSON object: {\"role\": \"Owner\" | \"Developer\" | \"Viewer\"}.");
            await members.ChangeRoleAsync(use.Viewer, account, userId, role);
            var changed = (await members.ListAsync(use.Viewer, account)).Single(m => m.UserId == userId);
            return TypedResults.Ok(MemberItem.From(changed));
        });

    private static Task<IResult> RemoveMemberAsync(HttpContext http, string userId, AccountMembers members, string? accountId) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            if (AccountOf(use, accountId) is not { } account) return NameTheAccount();
            await members.RemoveAsync(use.Viewer, account, userId);
            return TypedResults.NoContent();
        });

    private static Task<IResult> ListInvitationsAsync(HttpContext http, MemberInvitations invitations, string? accountId) =>
        ManagementApi.AsTokenAsync(http, async use => AccountOf(use, accountId) is not { } account ? NameTheAccount() :
            TypedResults.Ok((await invitations.PendingAsync(use.Viewer, account)).Select(MemberInvitationItem.From).ToArray()));

    private static Task<IResult> InviteAsync(HttpContext http, MemberInvitations invitations, string? accountId) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            if (AccountOf(use, accountId) is not { } account) return NameTheAccount();
            var body = await ApiBody.ReadJsonAsync(http, MembersJson.Default.MemberInvitationRequest);
            if (body is null) return ManagementApi.Invalid("Send a JSON object: {\"email\", \"role\": \"Owner\" | \"Developer\" | \"Viewer\"}.");
            var issued = await invitations.InviteAsync(use.Viewer, account, new MemberInvitations.Form { Email = body.Email ?? "", Role = body.Role ?? Roles.Developer });
            return TypedResults.Created($"{ManagementApi.Prefix}/members/invitations", IssuedMemberInvitation.From(issued));
        });

    private static Task<IResult> ResendAsync(HttpContext http, Guid invitationId, MemberInvitations invitations, string? accountId) =>
        ManagementApi.AsTokenAsync(http, async use => AccountOf(use, accountId) is not { } account ? NameTheAccount() :
            TypedResults.Ok(IssuedMemberInvitation.From(await invitations.ResendAsync(use.Viewer, account, invitationId))));

    private static Task<IResult> RevokeAsync(HttpContext http, Guid invitationId, MemberInvitations invitations, string? accountId) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            if (AccountOf(use, accountId) is not { } account) return NameTheAccount();
            await invitations.RevokeAsync(use.Viewer, account, invitationId);
            return TypedResults.NoContent();
        });

    private static Task<IResult> CreateAccountAsync(HttpContext http, MemberInvitations invitations) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, MembersJson.Default.NewAccountRequest);
            if (body is null) return ManagementApi.Invalid("Send a JSON object: {\"name\", \"ownerEmail\"}.");
            var issued = await invitations.InviteFirstOwnerAsync(use.Viewer, new MemberInvitations.NewAccountForm { AccountName = body.Name ?? "", Email = body.OwnerEmail ?? "" });
            return TypedResults.Created($"{ManagementApi.Prefix}/members/invitations?accountId={issued.AccountId}", IssuedMemberInvitation.From(issued));
        });

    private static IResult NameTheAccount() => ManagementApi.Invalid("accountId is required (an account's id) for a staff token.");

    private static Task<IResult> DeleteAccountAsync(HttpContext http, AccountDeletion deletion, string? name) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            // Only an Owner's token acts in an account; any other answers as if there were none.
            if (use.Viewer.AccountId is not { } account) throw new AccessDeniedException();
            if (string.IsNullOrEmpty(name)) return ManagementApi.Invalid("Name the account to delete, exactly: ?name=…");
            var erasesAt = await deletion.DeleteAsync(use.Viewer, account, name);
            return TypedResults.Ok(new AccountDeletionItem(account, erasesAt));
        });

    private static Task<IResult> RestoreAccountAsync(HttpContext http, Guid accountId, AccountDeletion deletion) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            await deletion.RestoreAsync(use.Viewer, accountId);
            return TypedResults.NoContent();
        });
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MemberRoleRequest))]
[JsonSerializable(typeof(MemberInvitationRequest))]
[JsonSerializable(typeof(NewAccountRequest))]
internal sealed partial class MembersJson : JsonSerializerContext;
