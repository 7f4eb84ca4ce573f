using ControlPanel.Domain.Origins;
using static ControlPanel.Web.Api.ManagementApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// An application's origin allowlist under /api/v1/manage/applications/{id}/allowlist, in the group <see cref="ManagementApi"/>
/// authenticates: read and replace it through <see cref="AllowlistService"/>, validated as in the UI.
/// </summary>
public static class AllowlistApi
{
    public static RouteGroupBuilder MapAllowlistApi(this RouteGroupBuilder manage)
    {
        var allowlist = manage.MapGroup("/applications/{applicationId:guid}/allowlist");
        allowlist.MapGet("", GetAllowlistAsync).Named("GetAllowlist", "The origin allowlist (empty: every origin allowed)")
            .Answers<AllowlistAnswer>(StatusCodes.Status200OK).Example(null, ManagementExamples.Allowlist);
        allowlist.MapPut("", ReplaceAllowlistAsync)
            .Named("ReplaceAllowlist", "Replace the origin allowlist; every entry is validated as in the UI and nothing is saved when one is invalid (117, each line's message in extraInfo)")
            .Answers<AllowlistAnswer>(StatusCodes.Status200OK, write: true).Example(new AllowlistRequest(ManagementExamples.Allowlist.Entries), ManagementExamples.Allowlist);
        return manage;
    }

    private static Task<IResult> GetAllowlistAsync(HttpContext http, Guid applicationId, AllowlistService allowlists) =>
        AsTokenAsync(http, async use =>
        {
            var stored = await allowlists.GetAsync(use.Viewer, applicationId);
            return TypedResults.Ok(new AllowlistAnswer(stored.Lines, stored.Unreadable.Select(AllowlistLineError.From).ToList()));
        });

    private static Task<IResult> ReplaceAllowlistAsync(HttpContext http, Guid applicationId, AllowlistService allowlists) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.AllowlistRequest);
            if (body?.Entries is not { } entries) return Invalid("Send a JSON object: {\"entries\": [\"https://app.example.com\", \"203.0.113.0/24\"]}; an empty list allows every origin.");
            if (entries.Any(e => e is null || e.Contains('\n') || e.Contains('\r'))) return Invalid("Each entry is one line of text.");
            var result = await allowlists.SaveAsync(use.Viewer, applicationId, string.Join('\n', entries));
            if (!result.Saved)
                return Invalid("Nothing was saved. " + string.Join(" ", result.Errors.Select(e => e.LineNumber > 0 ? $"Entry {e.LineNumber} ({e.Text}): {e.Message}" : e.Message)));
            return TypedResults.Ok(new AllowlistAnswer(result.Entries, []));
        });
}
