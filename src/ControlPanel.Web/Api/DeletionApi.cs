using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Web.Api;

/// <summary>The answer to deleting an account: when its personal data is erased unless staff restore it first.</summary>
public sealed record AccountDeletionItem(Guid AccountId, DateTime ErasesAt);

/// <summary>
/// Deleting under /api/v1/manage, in the group <see cref="ManagementApi"/> authenticates: an application, one of its views, a webhook endpoint, the
/// token's account (its Owner's token, naming it as the panel asks), and an Admin's restore of a deleted account. The domain decides
/// who may, as in the panel; anyone else, and another account's ids, get 195 as for what does not exist.
/// </summary>
public static class DeletionApi
{
    public static RouteGroupBuilder MapDeletionApi(this RouteGroupBuilder manage)
    {
        manage.MapDelete("/applications/{applicationId:guid}", DeleteApplicationAsync)
            .Named("DeleteApplication", "Delete an application: its keys are refused as unknown keys on every instance within a second; its usage history and audit stay, marked deleted")
            .Answers(StatusCodes.Status204NoContent, write: true);
        manage.MapDelete("/applications/{applicationId:guid}/views/{view}", RemoveViewAsync)
            .Named("RemoveApplicationView", "Take a view off the application's list (never its default view); sessions on it keep it until they end")
            .Answers(StatusCodes.Status204NoContent, write: true);
        manage.MapDelete("/webhooks/endpoints/{endpointId:guid}", DeleteEndpointAsync)
            .Named("DeleteWebhookEndpoint", "Delete a webhook endpoint: nothing is sent to it again and its waiting deliveries end as failed; its deliveries stay in the log")
            .Answers(StatusCodes.Status204NoContent, write: true);
        manage.MapDelete("/account", DeleteAccountAsync)
            .Named("DeleteAccount", "Owners' tokens: delete the token's account, its exact name in ?name=; its keys and members stop at once, staff can restore it until erasesAt")
            .Answers<AccountDeletionItem>(StatusCodes.Status200OK, write: true)
            .Example(null, new AccountDeletionItem(Guid.Parse("5b0f8a52-7c1d-4e3a-9f26-1d8e4c7a2b90"), new DateTime(2027, 1, 6, 9, 0, 0, DateTimeKind.Utc)));
        manage.MapPost("/accounts/{accountId:guid}/restore", RestoreAccountAsync)
            .Named("RestoreAccount", "Admin tokens: bring a deleted account back as it was, during its grace period")
            .Answers(StatusCodes.Status204NoContent, write: true);
        return manage;
    }

    private static Task<IResult> DeleteApplicationAsync(HttpContext http, Guid applicationId, ApplicationService applications) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            await applications.DeleteAsync(use.Viewer, applicationId);
            return TypedResults.NoContent();
        });

    private static Task<IResult> RemoveViewAsync(HttpContext http, Guid applicationId, string view, ApplicationViews views) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            await views.RemoveAsync(use.Viewer, applicationId, view);
            return TypedResults.NoContent();
        });

    private static Task<IResult> DeleteEndpointAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        ManagementApi.AsTokenAsync(http, async use =>
        {
            await endpoints.DeleteAsync(use.Viewer, endpointId);
            return TypedResults.NoContent();
        });

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
