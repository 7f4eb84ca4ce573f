using System.Globalization;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Components.Account;
using ControlPanel.Web.Usage;

namespace ControlPanel.Web.Api;

/// <summary>
/// Usage for signed-in users (the control panel's cookie): the daily numbers the usage page shows,
/// and its history table as a CSV file. The same <see cref="UsageReports"/> queries, so the same rules.
/// </summary>
public static class UsageApi
{
    public static void MapUsageApi(this IEndpointRouteBuilder endpoints)
    {
        var usage = endpoints.MapGroup("/api/v1/usage");
        usage.MapGet("", GetDailyAsync);
        usage.MapGet("/history.csv", ExportHistoryAsync);
    }

    public sealed record DayJson(DateOnly Day, long Allowed, long RateLimited, long OverQuota, long BadOrigin, long BadKeys, long Other, long Total, long Counted);

    public sealed record UsageJson(DateOnly From, DateOnly To, IReadOnlyList<DayJson> Days, DayJson Totals);

    /// <summary>GET /api/v1/usage?applicationId=&amp;accountId=&amp;environment=&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd</summary>
    /// <remarks>Parameters arrive as text and are parsed here, so a malformed one answers 117 in the error body, not the framework's bare 400.</remarks>
    private static async Task<IResult> GetDailyAsync(HttpContext http, UsageReports reports,
        string? applicationId, string? accountId, string? environment, string? from, string? to) =>
        await AsSignedInAsync(http, viewer => DailyAsync(viewer, reports, applicationId, accountId, environment, from, to));

    /// <summary>GET /api/v1/usage/history.csv?…&amp;sort=Total&amp;descending=true: every row of the history table, in its order.</summary>
    private static async Task<IResult> ExportHistoryAsync(HttpContext http, UsageReports reports,
        string? applicationId, string? accountId, string? environment, string? from, string? to, string? sort, string? descending) =>
        await AsSignedInAsync(http, signedIn => AnswerAsync(signedIn, applicationId, accountId, environment, from, to, async (viewer, filter) =>
        {
            bool? newestFirst = null;
            if (!string.IsNullOrEmpty(descending))
            {
                if (!bool.TryParse(descending, out var parsed)) return Error(ErrorCatalogue.DataNotValid, "descending must be true or false.");
                newestFirst = parsed;
            }
            var column = Enum.TryParse<UsageReports.HistoryColumn>(sort, ignoreCase: true, out var c) ? c : UsageReports.HistoryColumn.Day;
            var rows = await reports.ExportHistoryAsync(viewer, filter, new UsageReports.HistorySort(column, newestFirst ?? true));
            var range = reports.ResolveRange(filter);
            return Results.Stream(output => UsageCsv.WriteAsync(output, rows, http.RequestAborted), "text/csv; charset=utf-8", UsageCsv.FileName(range));
        }));

    /// <summary>
    /// The daily numbers for <paramref name="viewer"/>: the management API's usage endpoint answers the same as this one.
    /// An account or application the viewer may not see throws <see cref="AccessDeniedException"/> for the caller to answer.
    /// </summary>
    internal static Task<IResult> DailyAsync(Viewer viewer, UsageReports reports,
        string? applicationId, string? accountId, string? environment, string? from, string? to) =>
        AnswerAsync(viewer, applicationId, accountId, environment, from, to, async (v, filter) =>
        {
            var history = await reports.DailyAsync(v, filter);
            return TypedResults.Ok(new UsageJson(history.Range.From, history.Range.To, history.Days.Select(Json).ToList(), Json(history.Totals)));
        });

    /// <summary>Answers for the user the control panel's cookie signs in.</summary>
    private static async Task<IResult> AsSignedInAsync(HttpContext http, Func<Viewer, Task<IResult>> answer)
    {
        if (ViewerClaims.ToViewer(http.User) is not { } viewer) return DecisionResponses.Error(ApiStatusCodes.NotSignedIn, "Sign in to the control panel first.");
        try
        {
            return await answer(viewer);
        }
        catch (AccessDeniedException)
        {
            // The same answer whether the account or application is someone else's or does not exist.
            return DecisionResponses.Error(ApiStatusCodes.NoAccess);
        }
    }

    private static async Task<IResult> AnswerAsync(Viewer viewer, string? applicationIdText, string? accountIdText, string? environment, string? from, string? to,
        Func<Viewer, UsageReports.Filter, Task<IResult>> answer)
    {
        ApplicationEnvironment? chosenEnvironment = null;
        if (!string.IsNullOrEmpty(environment))
        {
            if (!Enum.TryParse<ApplicationEnvironment>(environment, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return Error(ErrorCatalogue.DataNotValid, "environment must be Development, Staging or Live.");
            chosenEnvironment = parsed;
        }
        if (!QueryText.TryParseId(applicationIdText, out var applicationId)) return Error(ErrorCatalogue.DataNotValid, "applicationId is not an application's id.");
        if (!QueryText.TryParseId(accountIdText, out var accountId)) return Error(ErrorCatalogue.DataNotValid, "accountId is not an account's id.");
        if (!TryParseDay(from, out var fromDay)) return Error(ErrorCatalogue.InvalidDateRange, "from must be a date written yyyy-MM-dd.");
        if (!TryParseDay(to, out var toDay)) return Error(ErrorCatalogue.InvalidDateRange, "to must be a date written yyyy-MM-dd.");

        try
        {
            return await answer(viewer, new UsageReports.Filter(accountId, applicationId, chosenEnvironment, fromDay, toDay));
        }
        catch (InvalidDateRangeException e)
        {
            return Error(InvalidDateRangeException.Error, e.Message);
        }
    }

    private static bool TryParseDay(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        day = parsed;
        return true;
    }

    /// <summary>The platform's error body; a refusal is never 2xx (311 and 117 are 200 in the table), see <see cref="ApiError.RefusalStatus"/>.</summary>
    private static IResult Error(ApiError error, string extraInfo) => DecisionResponses.Error(error, extraInfo);

    private static DayJson Json(UsageCounts counts) => new(DateOnly.FromDateTime(counts.Start),
        counts.Allowed, counts.RateLimited, counts.OverQuota, counts.BadOrigin, counts.BadKeys, counts.Other, counts.Total, counts.Counted);
}
