using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using static ControlPanel.Web.Api.ManagementApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// Staff and any user's sign-ins and tokens under /api/v1/manage/staff and /api/v1/manage/users/{userId}, in the group
/// <see cref="ManagementApi"/> authenticates: Admin tokens only (anyone else gets 195, as for what does not exist), through
/// <see cref="StaffAdministration"/> as the Staff page does.
/// </summary>
public static class StaffApi
{
    public static RouteGroupBuilder MapStaffApi(this RouteGroupBuilder manage)
    {
        var staff = manage.MapGroup("/staff");
        staff.MapGet("", ListStaffAsync).Named("ListStaff", "Admin and Support users: role, disabled, live access tokens")
            .Answers<StaffItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.Staff });
        staff.MapPatch("/{userId}", ChangeStaffRoleAsync).Named("ChangeStaffRole", "Make a staff member Admin or Support; losing Admin signs them out and revokes their tokens; never the last Admin")
            .Answers<StaffItem>(StatusCodes.Status200OK, write: true).Example(new StaffRoleRequest("Support"), ManagementExamples.Staff);
        staff.MapPost("/{userId}/disable", DisableStaffAsync).Named("DisableStaff", "Stop a staff member signing in: every sign-in and access token of theirs ends on every instance; never the last Admin nor yourself")
            .Answers<StaffItem>(StatusCodes.Status200OK, write: true).Example(null, ManagementExamples.Staff with { IsDisabled = true });
        staff.MapPost("/{userId}/enable", EnableStaffAsync).Named("EnableStaff", "Let a disabled staff member sign in again (their revoked tokens stay revoked)")
            .Answers<StaffItem>(StatusCodes.Status200OK, write: true).Example(null, ManagementExamples.Staff);
        staff.MapDelete("/{userId}", RemoveStaffAsync).Named("RemoveStaff", "Delete a staff member and their tokens; never the last Admin nor yourself")
            .Answers(StatusCodes.Status204NoContent, write: true);

        var users = manage.MapGroup("/users/{userId}");
        users.MapGet("/access-tokens", ListUserTokensAsync).Named("ListUserAccessTokens", "Admin: any user's access tokens")
            .Answers<AccessTokenItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.AccessToken });
        users.MapDelete("/access-tokens/{tokenId:guid}", RevokeUserTokenAsync).Named("RevokeUserAccessToken", "Admin: end one of any user's access tokens")
            .Answers(StatusCodes.Status204NoContent, write: true);
        users.MapPost("/sign-out", EndUserSignInsAsync).Named("SignUserOutEverywhere", "Admin: sign a user out of every browser and revoke every access token they hold")
            .Answers(StatusCodes.Status204NoContent, write: true);
        return manage;
    }

    private static Task<IResult> ListStaffAsync(HttpContext http, StaffAdministration staff) =>
        AsTokenAsync(http, async use => TypedResults.Ok((await staff.ListAsync(use.Viewer)).Select(StaffItem.From).ToArray()));

    private static Task<IResult> ChangeStaffRoleAsync(HttpContext http, string userId, StaffAdministration staff) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.StaffRoleRequest);
            if (body?.Role is not { } role) return Invalid("Send a JSON object: {\"role\": \"Admin\" or \"Support\"}.");
            await staff.ChangeRoleAsync(use.Viewer, userId, role);
            return await StaffMemberAsync(use, staff, userId);
        });

    private static Task<IResult> DisableStaffAsync(HttpContext http, string userId, StaffAdministration staff) =>
        AsTokenAsync(http, async use =>
        {
            await staff.DisableAsync(use.Viewer, userId);
            return await StaffMemberAsync(use, staff, userId);
        });

    private static Task<IResult> EnableStaffAsync(HttpContext http, string userId, StaffAdministration staff) =>
        AsTokenAsync(http, async use =>
        {
            await staff.EnableAsync(use.Viewer, userId);
            return await StaffMemberAsync(use, staff, userId);
        });

    private static Task<IResult> RemoveStaffAsync(HttpContext http, string userId, StaffAdministration staff) =>
        AsTokenAsync(http, async use =>
        {
            await staff.RemoveAsync(use.Viewer, userId);
            return TypedResults.NoContent();
        });

    private static async Task<IResult> StaffMemberAsync(AccessTokenService.Use use, StaffAdministration staff, string userId) =>
        TypedResults.Ok(StaffItem.From((await staff.ListAsync(use.Viewer)).Single(m => m.UserId == userId)));

    private static Task<IResult> ListUserTokensAsync(HttpContext http, string userId, StaffAdministration staff) =>
        AsTokenAsync(http, async use => TypedResults.Ok((await staff.TokensAsync(use.Viewer, userId)).Select(AccessTokenItem.From).ToArray()));

    private static Task<IResult> RevokeUserTokenAsync(HttpContext http, string userId, Guid tokenId, StaffAdministration staff) =>
        AsTokenAsync(http, async use =>
        {
            await staff.RevokeTokenAsync(use.Viewer, userId, tokenId);
            return TypedResults.NoContent();
        });

    private static Task<IResult> EndUserSignInsAsync(HttpContext http, string userId, StaffAdministration staff) =>
        AsTokenAsync(http, async use =>
        {
            await staff.EndSignInsAsync(use.Viewer, userId);
            return TypedResults.NoContent();
        });
}
