using ControlPanel.Domain.AccessTokens;
using static ControlPanel.Web.Api.ManagementApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// The token's user's own access tokens under /api/v1/manage/access-tokens, in the group <see cref="ManagementApi"/>
/// authenticates: list and revoke through <see cref="AccessTokenService"/>, as the Access tokens page does (an Admin's
/// view of other users' tokens is <see cref="StaffApi"/>).
/// </summary>
public static class AccessTokensApi
{
    public static RouteGroupBuilder MapAccessTokensApi(this RouteGroupBuilder manage)
    {
        var tokens = manage.MapGroup("/access-tokens");
        tokens.MapGet("", ListOwnTokensAsync).Named("ListOwnAccessTokens", "The access tokens of the token's user (never the tokens themselves)")
            .Answers<AccessTokenItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.AccessToken });
        tokens.MapDelete("/{tokenId:guid}", RevokeOwnTokenAsync).Named("RevokeOwnAccessToken", "End one of the user's own access tokens at once (this one too)")
            .Answers(StatusCodes.Status204NoContent, write: true);
        return manage;
    }

    private static Task<IResult> ListOwnTokensAsync(HttpContext http, AccessTokenService tokens) =>
        AsTokenAsync(http, async use => TypedResults.Ok((await tokens.ListAsync(use.Viewer)).Select(AccessTokenItem.From).ToArray()));

    private static Task<IResult> RevokeOwnTokenAsync(HttpContext http, Guid tokenId, AccessTokenService tokens) =>
        AsTokenAsync(http, async use =>
        {
            await tokens.RevokeAsync(use.Viewer, tokenId);
            return TypedResults.NoContent();
        });
}
