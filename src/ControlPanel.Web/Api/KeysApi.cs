using ControlPanel.Domain.Keys;
using static ControlPanel.Web.Api.ManagementApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// An application's key pairs under /api/v1/manage/applications/{id}/keys, in the group <see cref="ManagementApi"/>
/// authenticates: list, rotate and revoke through <see cref="KeyService"/>, as the Keys tab does.
/// </summary>
public static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder manage)
    {
        var keys = manage.MapGroup("/applications/{applicationId:guid}/keys");
        keys.MapGet("", ListKeysAsync).Named("ListKeyPairs", "The application's key pairs: last four characters, created, last used, expiry")
            .Answers<KeyPairItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.KeyPair });
        keys.MapPost("/rotate", RotateKeysAsync)
            .Named("RotateKeys", "Issue a new key pair; the pairs live until now keep working for the grace period. Send Idempotency-Key to make retries safe.")
            .Answers<IssuedKeyPair>(StatusCodes.Status201Created, write: true).Example(new RotateRequest("OneHour"), ManagementExamples.IssuedKeys)
            .WithIdempotency<IssuedKeyPair>("rotation", issued => issued with { Replayed = true });
        keys.MapDelete("/{keyPairId:guid}", RevokeKeyPairAsync).Named("RevokeKeyPair", "End a key pair at once")
            .Answers(StatusCodes.Status204NoContent, write: true);
        return manage;
    }

    private static Task<IResult> ListKeysAsync(HttpContext http, Guid applicationId, KeyService keys) =>
        AsTokenAsync(http, async use => TypedResults.Ok((await keys.ListAsync(use.Viewer, applicationId)).Select(KeyPairItem.From).ToArray()));

    private static Task<IResult> RotateKeysAsync(HttpContext http, Guid applicationId, KeyService keys) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.RotateRequest);
            if (!TryParse<RotationGrace>(body?.Grace, out var grace))
                return Invalid($"grace must be one of {Choices<RotationGrace>()}.");
            var issued = await keys.RotateAsync(use.Viewer, applicationId, grace);
            return TypedResults.Created($"{Prefix}/applications/{applicationId}/keys", IssuedKeyPair.From(issued));
        });

    private static Task<IResult> RevokeKeyPairAsync(HttpContext http, Guid applicationId, Guid keyPairId, KeyService keys) =>
        AsTokenAsync(http, async use =>
        {
            await keys.RevokeAsync(use.Viewer, applicationId, keyPairId);
            return TypedResults.NoContent();
        });
}
