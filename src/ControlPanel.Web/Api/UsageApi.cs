using System.Globalization;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Usage;

namespace ControlPanel.Web.Api;

/// <summary>
/// Usage for signed-in users (the control panel's cookie): the daily numbers the usage page shows,
/// and its history table as a CSV file; and the daily numbers for an access token under the management API.
/// The same <see cref="UsageReports"/> queries, so the same rules.
/// </summary>
public static class UsageApi
{
    public static void MapUsageApi(this IEndpointRouteBuilder endpoints)
    {
        // Signed in with the cookie, as someone the domain knows (ApiAuthorization.SignedIn); otherwise 401 (226) in the error body.
        var usage = endpoints.MapGroup("/api/v1/usage")
            .RequireAuthorization(ApiAuthorization.SignedIn)
            .AnswerDomainRefusals()
            .WithTags("Usage");
        Refusals(usage.MapGet("", GetDailyAsync)
            .WithName("GetSignedInUsage")
            .WithSummary("Daily numbers for a range, as the usage page shows them (applicationId, accountId for staff, environment, from and to as yyyy-MM-dd)")
            .Produces<UsageJson>(StatusCodes.Status200OK));
        Refusals(usage.MapGet("/history.csv", ExportHistoryAsync)
            .WithName("ExportSignedInUsageHistory")
            .WithSummary("The usage page's history table as a CSV file, every row in its order (the filters above, sort a column, descending true or false)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv"));
        Refusals(usage.MapGet("/resources.csv", ExportResourcesAsync)
            .WithName("ExportSignedInUsageByResource")
            .WithSummary("Calls per day, application and resource as a CSV file, newest day first, with the Resource column (the filters above)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv"));
    }

    /// <summary>
    /// GET /api/v1/manage/usage, in the group <see cref="ManagementApi"/> authenticates: the same answer as <c>GET /api/v1/usage</c>,
    /// for the token's viewer.
    /// </summary>
    public static RouteGroupBuilder MapManagementUsageApi(this RouteGroupBuilder manage)
    {
        manage.MapGet("/usage", GetManagedDailyAsync)
            .Named("GetUsage", "Daily numbers for a range, the same answer as the usage page (applicationId, accountId for staff tokens, environment, from and to as yyyy-MM-dd)")
            .Answers<UsageJson>(StatusCodes.Status200OK).Example(null, ManagementExamples.Usage);
        return manage;
    }

    private static void Refusals(RouteHandlerBuilder endpoint) => endpoint
        .WithDescription("For the user the control panel's cookie signs in (the usage page's own calls); 401 (226) without it. " +
            "Refusals use the error body: 117 or 311 (400) for a malformed parameter or range, 195 (404) for an account or application the user may not see (or that does not exist).")
        .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
        .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
        .Produces<ApiErrorBody>(StatusCodes.Status404NotFound);

    /// <summary>One day's (or the range's) calls: a property per outcome, named by its column and filled through the outcome list.</summary>
    public sealed record DayJson
    {
        public DateOnly Day { get; init; }
        public long Allowed { get; init; }
        public long RateLimited { get; init; }
        public long OverQuota { get; init; }
        public long BadOrigin { get; init; }
        public long BadKeys { get; init; }
        public long Other { get; init; }
        public long Total { get; init; }
        public long Counted { get; init; }

        public static DayJson Of(UsageCounts counts)
        {
            var day = new DayJson { Day = DateOnly.FromDateTime(counts.Start), Total = counts.Total, Counted = counts.Counted };
            foreach (var outcome in UsageOutcomes.All) UsageOutcomeColumns<DayJson>.Set(day, outcome, counts[outcome]);
            return day;
        }
    }

    public sealed record UsageJson(DateOnly From, DateOnly To, IReadOnlyList<DayJson> Days, DayJson Totals);

    /// <summary>GET /api/v1/usage?applicationId=&amp;accountId=&amp;environment=&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd</summary>
    /// <remarks>Parameters arrive as text and are parsed here, so a malformed one answers 117 in the error body, not the framework's bare 400.</remarks>
    private static Task<IResult> GetDailyAsync(SignedInViewer signedIn, UsageReports reports,
        string? applicationId, string? accountId, string? environment, string? from, string? to) =>
        DailyAsync(signedIn.Viewer, reports, applicationId, accountId, environment, from, to);

    private static Task<IResult> GetManagedDailyAsync(HttpContext http, UsageReports reports,
        string? applicationId, string? accountId, string? environment, string? from, string? to) =>
        ManagementApi.AsTokenAsync(http, use => DailyAsync(use.Viewer, reports, applicationId, accountId, environment, from, to));

    /// <summary>GET /api/v1/usage/history.csv?…&amp;sort=Total&amp;descending=true: every row of the history table, in its order.</summary>
    private static Task<IResult> ExportHistoryAsync(HttpContext http, SignedInViewer signedIn, UsageReports reports,
        string? applicationId, string? accountId, string? environment, string? from, string? to, string? sort, string? descending) =>
        AnswerAsync(signedIn.Viewer, applicationId, accountId, environment, from, to, async (viewer, filter) =>
        {
            bool? newestFirst = null;
            if (!string.IsNullOrEmpty(descending))
            {
                if (!bool.TryParse(descending, out var parsed)) return ApiRefusal.For(ErrorCatalogue.DataNotValid, "descending must be true or false.");
                newestFirst = parsed;
            }
            UsageReports.HistoryColumn.TryParse(sort, out var column);
            var rows = await reports.ExportHistoryAsync(viewer, filter, new UsageReports.HistorySort(column, newestFirst ?? true));
            var range = reports.ResolveRange(filter);
            return Results.Stream(output => UsageCsv.WriteAsync(output, rows, http.RequestAborted), "text/csv; charset=utf-8", UsageCsv.FileName(range));
        });

    /// <summary>GET /api/v1/usage/resources.csv?…: every application's calls per day and resource.</summary>
    private static Task<IResult> ExportResourcesAsync(HttpContext http, SignedInViewer signedIn, UsageReports reports,
        string? applicationId, string? accountId, string? environment, string? from, string? to) =>
        AnswerAsync(signedIn.Viewer, applicationId, accountId, environment, from, to, async (viewer, filter) =>
        {
            var rows = await reports.ExportResourcesAsync(viewer, filter);
            return Results.Stream(output => UsageCsv.WriteResourcesAsync(output, rows, http.RequestAborted), "text/csv; charset=utf-8",
                UsageCsv.FileName(reports.ResolveRange(filter), "usage-by-resource"));
        });

    /// <summary>
    /// The daily numbers for <paramref name="viewer"/>, signed in or by access token.
    /// An account or application the viewer may not see, or a bad range, throws for <see cref="DomainRefusals"/> to answer.
    /// </summary>
    private static Task<IResult> DailyAsync(Viewer viewer, UsageReports reports,
        string? applicationId, string? accountId, string? environment, string? from, string? to) =>
        AnswerAsync(viewer, applicationId, accountId, environment, from, to, async (v, filter) =>
        {
            var history = await reports.DailyAsync(v, filter);
            return TypedResults.Json(new UsageJson(history.Range.From, history.Range.To, history.Days.Select(DayJson.Of).ToList(), DayJson.Of(history.Totals)), ApiJson.Default.UsageJson);
        });

    private static async Task<IResult> AnswerAsync(Viewer viewer, string? applicationIdText, string? accountIdText, string? environment, string? from, string? to,
        Func<Viewer, UsageReports.Filter, Task<IResult>> answer)
    {
        ApplicationEnvironment? chosenEnvironment = null;
        if (!string.IsNullOrEmpty(environment))
        {
            if (!Enum.TryParse<ApplicationEnvironment>(environment, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return ApiRefusal.For(ErrorCatalogue.DataNotValid, "environment must be Development, Staging or Live.");
            chosenEnvironment = parsed;
        }
        if (!QueryText.TryParseId(applicationIdText, out var applicationId)) return ApiRefusal.For(ErrorCatalogue.DataNotValid, "applicationId is not an application's id.");
        if (!QueryText.TryParseId(accountIdText, out var accountId)) return ApiRefusal.For(ErrorCatalogue.DataNotValid, "accountId is not an account's id.");
        if (!TryParseDay(from, out var fromDay)) return ApiRefusal.For(ErrorCatalogue.InvalidDateRange, "from must be a date written yyyy-MM-dd.");
        if (!TryParseDay(to, out var toDay)) return ApiRefusal.For(ErrorCatalogue.InvalidDateRange, "to must be a date written yyyy-MM-dd.");

        return await answer(viewer, new UsageReports.Filter(accountId, applicationId, chosenEnvironment, fromDay, toDay));
    }

    private static bool TryParseDay(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        day = parsed;
        return true;
    }

}
