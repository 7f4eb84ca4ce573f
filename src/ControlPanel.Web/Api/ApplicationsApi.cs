using ControlPanel.Domain.Applications;
using static ControlPanel.Web.Api.ManagementApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// Applications under /api/v1/manage/applications, in the group <see cref="ManagementApi"/> authenticates: list, create
/// (with its first key pair), read and change them through <see cref="ApplicationService"/>, as the Applications pages do.
/// </summary>
public static class ApplicationsApi
{
    public static RouteGroupBuilder MapApplicationsApi(this RouteGroupBuilder manage)
    {
        var applications = manage.MapGroup("/applications");
        applications.MapGet("", ListApplicationsAsync).Named("ListApplications", "List the applications the token's user may see (staff tokens: accountId narrows to one account)")
            .Answers<ApplicationListItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.ApplicationItem });
        applications.MapPost("", CreateApplicationAsync)
            .Named("CreateApplication", "Create an application and its first key pair (the keys are answered this once). Send Idempotency-Key to make retries safe.")
            .Answers<CreatedApplication>(StatusCodes.Status201Created, write: true).Example(ManagementExamples.ApplicationRequest, ManagementExamples.CreatedApplication)
            .WithIdempotency<CreatedApplication>("new application", created => created with { Keys = created.Keys with { Replayed = true } });
        applications.MapGet("/{applicationId:guid}", GetApplicationAsync).Named("GetApplication", "One application")
            .Answers<ApplicationDetails>(StatusCodes.Status200OK).Example(null, ManagementExamples.Application);
        applications.MapPatch("/{applicationId:guid}", UpdateApplicationAsync)
            .Named("UpdateApplication", "Rename, change the environment or default view, take offline or bring back online (fields left out stay as they are)")
            .Answers<ApplicationDetails>(StatusCodes.Status200OK, write: true).Example(new ApplicationRequest("Checkout", IsOnline: false), ManagementExamples.Application);
        applications.MapDelete("/{applicationId:guid}", DeleteApplicationAsync)
            .Named("DeleteApplication", "Delete an application: its keys are refused as unknown keys on every instance within a second; its usage history and audit stay, marked deleted")
            .Answers(StatusCodes.Status204NoContent, write: true);
        applications.MapDelete("/{applicationId:guid}/views/{view}", RemoveViewAsync)
            .Named("RemoveApplicationView", "Take a view off the application's list (never its default view); sessions on it keep it until they end")
            .Answers(StatusCodes.Status204NoContent, write: true);
        return manage;
    }

    private static Task<IResult> ListApplicationsAsync(HttpContext http, ApplicationService applications, string? accountId) =>
        AsTokenAsync(http, async use => !QueryText.TryParseId(accountId, out var account) ? Invalid("accountId is not an account's id.") :
            TypedResults.Ok((await applications.ListAsync(use.Viewer, account))
                .Select(a => new ApplicationListItem(a.Id, a.AccountId, a.AccountName, a.Name, a.Environment.ToString(), a.IsOnline, a.KeyLastUsedAt, a.LiveKeyPairs)).ToArray()));

    private static Task<IResult> GetApplicationAsync(HttpContext http, Guid applicationId, ApplicationService applications) =>
        AsTokenAsync(http, async use =>
        {
            var details = await applications.GetAsync(use.Viewer, applicationId);
            return TypedResults.Ok(ApplicationDetails.From(details.Application, details.AccountName));
        });

    private static Task<IResult> CreateApplicationAsync(HttpContext http, ApplicationService applications) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.ApplicationRequest);
            var form = new ApplicationService.Form { AccountId = body?.AccountId };
            if (ApplyApplication(body, form) is { } refused) return refused;
            var created = await applications.CreateAsync(use.Viewer, form);
            var details = await applications.GetAsync(use.Viewer, created.Application.Id);
            return TypedResults.Created($"{Prefix}/applications/{created.Application.Id}",
                new CreatedApplication(ApplicationDetails.From(details.Application, details.AccountName), IssuedKeyPair.From(created.Keys)));
        });

    private static Task<IResult> UpdateApplicationAsync(HttpContext http, Guid applicationId, ApplicationService applications) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.ApplicationRequest);
            var current = await applications.GetAsync(use.Viewer, applicationId);
            var form = ApplicationService.Form.From(current.Application);
            if (ApplyApplication(body, form) is { } refused) return refused;
            await applications.UpdateAsync(use.Viewer, applicationId, form);
            var details = await applications.GetAsync(use.Viewer, applicationId);
            return TypedResults.Ok(ApplicationDetails.From(details.Application, details.AccountName));
        });

    /// <summary>Copies what the body sets onto the form; the domain validates the rest.</summary>
    private static IResult? ApplyApplication(ApplicationRequest? body, ApplicationService.Form form)
    {
        if (body is null) return Invalid("Send a JSON object: {\"name\", \"environment\"?, \"defaultView\"?, \"isOnline\"?}.");
        if (body.Name is not null) form.Name = body.Name;
        if (body.DefaultView is not null) form.DefaultView = body.DefaultView;
        if (body.IsOnline is { } online) form.IsOnline = online;
        if (body.Environment is not null)
        {
            if (!TryParse<ApplicationEnvironment>(body.Environment, out var environment))
                return Invalid($"environment must be one of {Choices<ApplicationEnvironment>()}.");
            form.Environment = environment;
        }
        return null;
    }

    private static Task<IResult> DeleteApplicationAsync(HttpContext http, Guid applicationId, ApplicationService applications) =>
        AsTokenAsync(http, async use =>
        {
            await applications.DeleteAsync(use.Viewer, applicationId);
            return TypedResults.NoContent();
        });

    private static Task<IResult> RemoveViewAsync(HttpContext http, Guid applicationId, string view, ApplicationViews views) =>
        AsTokenAsync(http, async use =>
        {
            await views.RemoveAsync(use.Viewer, applicationId, view);
            return TypedResults.NoContent();
        });
}
