using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Usage;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Web.Api;

/// <summary>
/// The management API under /api/v1/manage: what an owner does in the browser, over HTTP with
/// <c>Authorization: Bearer cpat_…</c>. Every endpoint calls the domain service the UI calls, as the token's
/// <see cref="Viewer"/> (its creator, narrowed to the token's scope), so the rules and messages are the UI's.
/// </summary>
public static partial class ManagementApi
{
    public const string Prefix = "/api/v1/manage";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string UseItem = "ControlPanel.AccessTokenUse";

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var manage = endpoints.MapGroup(Prefix)
            .AddEndpointFilter(AuthenticateAsync)
            // Inside the token's filter, so a write's audit row records the refusal's status.
            .AnswerDomainRefusals()
            .DisableAntiforgery()
            .WithTags("Management");

        var applications = manage.MapGroup("/applications");
        applications.MapGet("", ListApplicationsAsync).Named("ListApplications", "List the applications the token's user may see (staff tokens: accountId narrows to one account)")
            .Answers<ApplicationListItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.ApplicationItem });
        applications.MapPost("", CreateApplicationAsync).Named("CreateApplication", "Create an application and its first key pair (the keys are answered this once)")
            .Answers<CreatedApplication>(StatusCodes.Status201Created, write: true).Example(ManagementExamples.ApplicationRequest, ManagementExamples.CreatedApplication);
        applications.MapGet("/{applicationId:guid}", GetApplicationAsync).Named("GetApplication", "One application")
            .Answers<ApplicationDetails>(StatusCodes.Status200OK).Example(null, ManagementExamples.Application);
        applications.MapPatch("/{applicationId:guid}", UpdateApplicationAsync)
            .Named("UpdateApplication", "Rename, change the environment or default view, take offline or bring back online (fields left out stay as they are)")
            .Answers<ApplicationDetails>(StatusCodes.Status200OK, write: true).Example(new ApplicationRequest("Checkout", IsOnline: false), ManagementExamples.Application);

        applications.MapGet("/{applicationId:guid}/keys", ListKeysAsync).Named("ListKeyPairs", "The application's key pairs: last four characters, created, last used, expiry")
            .Answers<KeyPairItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.KeyPair });
        applications.MapPost("/{applicationId:guid}/keys/rotate", RotateKeysAsync)
            .Named("RotateKeys", "Issue a new key pair; the pairs live until now keep working for the grace period. Send Idempotency-Key to make retries safe.")
            .Answers<IssuedKeyPair>(StatusCodes.Status201Created, write: true).Example(new RotateRequest("OneHour"), ManagementExamples.IssuedKeys);
        applications.MapDelete("/{applicationId:guid}/keys/{keyPairId:guid}", RevokeKeyPairAsync).Named("RevokeKeyPair", "End a key pair at once")
            .Answers(StatusCodes.Status204NoContent, write: true);

        applications.MapGet("/{applicationId:guid}/allowlist", GetAllowlistAsync).Named("GetAllowlist", "The origin allowlist (empty: every origin allowed)")
            .Answers<AllowlistAnswer>(StatusCodes.Status200OK).Example(null, ManagementExamples.Allowlist);
        applications.MapPut("/{applicationId:guid}/allowlist", ReplaceAllowlistAsync)
            .Named("ReplaceAllowlist", "Replace the origin allowlist; every entry is validated as in the UI and nothing is saved when one is invalid (117, each line's message in extraInfo)")
            .Answers<AllowlistAnswer>(StatusCodes.Status200OK, write: true).Example(new AllowlistRequest(ManagementExamples.Allowlist.Entries), ManagementExamples.Allowlist);

        manage.MapGet("/usage", GetUsageAsync)
            .Named("GetUsage", "Daily numbers for a range, the same answer as the usage page (applicationId, accountId for staff tokens, environment, from and to as yyyy-MM-dd)")
            .Answers<UsageApi.UsageJson>(StatusCodes.Status200OK).Example(null, ManagementExamples.Usage);

        var webhooks = manage.MapGroup("/webhooks");
        webhooks.MapGet("/endpoints", ListEndpointsAsync).Named("ListWebhookEndpoints", "The account's webhook endpoints (staff tokens: every account's, or accountId's)")
            .Answers<WebhookEndpointItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.Endpoint });
        webhooks.MapPost("/endpoints", CreateEndpointAsync).Named("CreateWebhookEndpoint", "Add an endpoint; its signing secret is answered this once")
            .Answers<CreatedWebhookEndpoint>(StatusCodes.Status201Created, write: true).Example(ManagementExamples.EndpointRequest, new CreatedWebhookEndpoint(ManagementExamples.Endpoint, "whsec_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"));
        webhooks.MapGet("/endpoints/{endpointId:guid}", GetEndpointAsync).Named("GetWebhookEndpoint", "One endpoint")
            .Answers<WebhookEndpointItem>(StatusCodes.Status200OK).Example(null, ManagementExamples.Endpoint);
        webhooks.MapPatch("/endpoints/{endpointId:guid}", UpdateEndpointAsync).Named("UpdateWebhookEndpoint", "Change the URL, description, events or enabled flag (fields left out stay as they are)")
            .Answers<WebhookEndpointItem>(StatusCodes.Status200OK, write: true).Example(new WebhookEndpointRequest(null, "Billing hooks"), ManagementExamples.Endpoint);
        webhooks.MapPost("/endpoints/{endpointId:guid}/disable", DisableEndpointAsync).Named("DisableWebhookEndpoint", "Stop deliveries to the endpoint")
            .Answers<WebhookEndpointItem>(StatusCodes.Status200OK, write: true).Example(null, ManagementExamples.Endpoint with { IsEnabled = false });
        webhooks.MapPost("/endpoints/{endpointId:guid}/test", SendTestEventAsync).Named("SendWebhookTestEvent", "Queue a webhook_test event for this endpoint")
            .Answers<TestEventQueued>(StatusCodes.Status202Accepted, write: true).Example(null, new TestEventQueued(ManagementExamples.DeliveryId));
        webhooks.MapGet("/deliveries", ListDeliveriesAsync)
            .Named("ListWebhookDeliveries", "Deliveries, newest first (accountId for staff tokens, endpointId, event, status Pending/Delivered/Retrying/Failed, skip, take up to 500)")
            .Answers<DeliveryPage>(StatusCodes.Status200OK).Example(null, ManagementExamples.Deliveries);
        webhooks.MapPost("/deliveries/{deliveryId:guid}/resend", ResendDeliveryAsync).Named("ResendWebhookDelivery", "Attempt a delivery again now")
            .Answers(StatusCodes.Status202Accepted, write: true);
        manage.MapWebhookManagementApi();
        manage.MapMembersApi();
        manage.MapDeletionApi();

        manage.MapGet("/access-tokens", ListOwnTokensAsync).Named("ListOwnAccessTokens", "The access tokens of the token's user (never the tokens themselves)")
            .Answers<AccessTokenItem[]>(StatusCodes.Status200OK).Example(null, new[] { ManagementExamples.AccessToken });
        manage.MapDelete("/access-tokens/{tokenId:guid}", RevokeOwnTokenAsync).Named("RevokeOwnAccessToken", "End one of the user's own access tokens at once (this one too)")
            .Answers(StatusCodes.Status204NoContent, write: true);

        // Admin tokens only: anyone else gets 195, as for what does not exist.
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

        MapResources(manage.MapGroup("/resources"));
        MapSessions(applications);

        return endpoints;
    }

    // ---- authentication, scope, rate limit, audit ----

    /// <summary>
    /// Every call: the caller's address must have refused calls left (158, as at the key check), the token is checked (194 missing,
    /// 114 unknown or revoked or its user removed, 113 expired, 225 account locked; each counts against the address), then
    /// counted against AccessTokens:RequestsPerMinute (158 and X-RateLimit-* headers); a write with a read-only token answers 170;
    /// a write is recorded in the audit log with its outcome.
    /// </summary>
    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var services = http.RequestServices;
        http.Response.Headers.CacheControl = "no-store";
        // A token is a credential: like the keys, it travels only over HTTPS (Api:RequireHttps; X-Forwarded-Proto from trusted proxies).
        var connection = services.GetRequiredService<CheckRequestReader>().Read(http);
        if (!connection.IsHttps && services.GetRequiredService<RequestCheck>().RequiresHttps)
            return ApiRefusal.For(ErrorCatalogue.NotUsingHttps, "Call the management API over HTTPS.");
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var admission = services.GetRequiredService<AccessTokenAdmission>();
        var admitted = await admission.AdmitAsync(token, connection.ClientIp, http.RequestAborted);
        if (admitted.Window is { } window) DecisionResponses.WriteRateLimitHeaders(http.Response, window);
        if (admitted.Use is not { } use) return admitted.Refused switch
        {
            AccessTokenService.Refusal.TooManyRefused => ApiRefusal.For(ErrorCatalogue.RateLimitExceeded, admission.TooManyRefusedMessage),
            AccessTokenService.Refusal.RateLimited => ApiRefusal.For(ErrorCatalogue.RateLimitExceeded, $"An access token makes at most {admitted.Window!.Value.Limit} calls a minute."),
            var refusal => Refused(refusal!.Value),
        };

        var write = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (write && use.ReadOnly)
            return ApiRefusal.For(ApiStatusCodes.NoAccess, use.Viewer.SeesNoSecrets
                ? $"{use.Viewer.Role} tokens are read-only."
                : $"The access token \"{use.TokenName}\" is read-only. Make a read and write token to change things.");

        http.Items[UseItem] = use;
        var result = await next(invocation);
        if (write)
        {
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            await services.GetRequiredService<AccessTokenService>().RecordWriteAsync(use, http.Request.Method, http.Request.Path, status);
        }
        return result;
    }

    private static IResult Refused(AccessTokenService.Refusal refusal) => refusal switch
    {
        AccessTokenService.Refusal.Missing => ApiRefusal.For(ErrorCatalogue.NoTokenOrSession, "Send Authorization: Bearer <access token> (cpat_…), made on the Access tokens page."),
        AccessTokenService.Refusal.Expired => ApiRefusal.For(ErrorCatalogue.TokenExpired, "This access token has expired. Make a new one on the Access tokens page."),
        AccessTokenService.Refusal.Revoked => ApiRefusal.For(ErrorCatalogue.InvalidToken, "This access token was revoked."),
        AccessTokenService.Refusal.AccountLocked => ApiRefusal.For(ErrorCatalogue.AccountLocked, "The account of this token's user is locked."),
        _ => ApiRefusal.For(ErrorCatalogue.InvalidToken, "This is not a valid access token."),
    };

    /// <summary>
    /// Runs one call as the token's viewer; the domain's refusals (not found, a refused change with the UI's sentence)
    /// are answered by <see cref="DomainRefusals"/>.
    /// </summary>
    internal static Task<IResult> AsTokenAsync(HttpContext http, Func<AccessTokenService.Use, Task<IResult>> call) =>
        call((AccessTokenService.Use)http.Items[UseItem]!);

    internal static IResult Invalid(string message) => ApiRefusal.For(ErrorCatalogue.DataNotValid, message);

    private static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static string Choices<TEnum>() where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());

    // ---- applications ----

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

    // ---- keys ----

    private static Task<IResult> ListKeysAsync(HttpContext http, Guid applicationId, KeyService keys) =>
        AsTokenAsync(http, async use => TypedResults.Ok((await keys.ListAsync(use.Viewer, applicationId)).Select(KeyPairItem.From).ToArray()));

    private static Task<IResult> RotateKeysAsync(HttpContext http, Guid applicationId, IdempotentRotations rotations,
        [Microsoft.AspNetCore.Mvc.FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.RotateRequest);
            if (!TryParse<RotationGrace>(body?.Grace, out var grace))
                return Invalid($"grace must be one of {Choices<RotationGrace>()}.");
            var result = await rotations.RotateAsync(use, applicationId, grace, idempotencyKey);
            return TypedResults.Created($"{Prefix}/applications/{applicationId}/keys", IssuedKeyPair.From(result.Keys, result.Replayed));
        });

    private static Task<IResult> RevokeKeyPairAsync(HttpContext http, Guid applicationId, Guid keyPairId, KeyService keys) =>
        AsTokenAsync(http, async use =>
        {
            await keys.RevokeAsync(use.Viewer, applicationId, keyPairId);
            return TypedResults.NoContent();
        });

    // ---- allowlist ----

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

    // ---- usage ----

    private static Task<IResult> GetUsageAsync(HttpContext http, UsageReports reports, string? applicationId, string? accountId, string? environment, string? from, string? to) =>
        AsTokenAsync(http, use => UsageApi.DailyAsync(use.Viewer, reports, applicationId, accountId, environment, from, to));

    // ---- webhooks ----

    private static Task<IResult> ListEndpointsAsync(HttpContext http, WebhookEndpointService endpoints, string? accountId) =>
        AsTokenAsync(http, async use => !QueryText.TryParseId(accountId, out var account) ? Invalid("accountId is not an account's id.") :
            TypedResults.Ok((await endpoints.ListAsync(use.Viewer, account)).Select(WebhookEndpointItem.From).ToArray()));

    private static Task<IResult> GetEndpointAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use => TypedResults.Ok(WebhookEndpointItem.From(await endpoints.GetAsync(use.Viewer, endpointId))));

    private static Task<IResult> CreateEndpointAsync(HttpContext http, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.WebhookEndpointRequest);
            if (body is null) return Invalid("Send a JSON object: {\"url\", \"description\"?, \"events\": [...], \"isEnabled\"?}.");
            var form = new WebhookEndpointService.Form { AccountId = body.AccountId };
            ApplyEndpoint(body, form);
            var issued = await endpoints.CreateAsync(use.Viewer, form, http.RequestAborted);
            var created = await endpoints.GetAsync(use.Viewer, issued.EndpointId);
            return TypedResults.Created($"{Prefix}/webhooks/endpoints/{issued.EndpointId}", new CreatedWebhookEndpoint(WebhookEndpointItem.From(created), issued.Secret));
        });

    private static Task<IResult> UpdateEndpointAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use =>
        {
            var body = await ApiBody.ReadJsonAsync(http, ApiJson.Default.WebhookEndpointRequest);
            if (body is null) return Invalid("Send a JSON object with the fields to change: {\"url\"?, \"description\"?, \"events\"?, \"isEnabled\"?}.");
            var form = WebhookEndpointService.Form.From(await endpoints.GetAsync(use.Viewer, endpointId));
            ApplyEndpoint(body, form);
            return TypedResults.Ok(WebhookEndpointItem.From(await endpoints.UpdateAsync(use.Viewer, endpointId, form, http.RequestAborted)));
        });

    private static void ApplyEndpoint(WebhookEndpointRequest body, WebhookEndpointService.Form form)
    {
        if (body.Url is not null) form.Url = body.Url;
        if (body.Description is not null) form.Description = body.Description;
        if (body.Events is not null) form.Events = [.. body.Events.Where(e => e is not null)];
        if (body.IsEnabled is { } enabled) form.IsEnabled = enabled;
    }

    private static Task<IResult> DisableEndpointAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use =>
        {
            await endpoints.DisableAsync(use.Viewer, endpointId);
            return TypedResults.Ok(WebhookEndpointItem.From(await endpoints.GetAsync(use.Viewer, endpointId)));
        });

    private static Task<IResult> SendTestEventAsync(HttpContext http, Guid endpointId, WebhookEndpointService endpoints) =>
        AsTokenAsync(http, async use => TypedResults.Accepted((string?)null, new TestEventQueued(await endpoints.SendTestAsync(use.Viewer, endpointId))));

    private static Task<IResult> ListDeliveriesAsync(HttpContext http, WebhookDeliveryLog log,
        string? accountId, string? endpointId, string? @event, string? status, string? skip, string? take) =>
        AsTokenAsync(http, async use =>
        {
            if (!QueryText.TryParseId(accountId, out var account)) return Invalid("accountId is not an account's id.");
            if (!QueryText.TryParseId(endpointId, out var endpoint)) return Invalid("endpointId is not an endpoint's id.");
            WebhookDeliveryStatus? chosen = null;
            if (!string.IsNullOrEmpty(status))
            {
                if (!TryParse<WebhookDeliveryStatus>(status, out var parsed)) return Invalid($"status must be one of {Choices<WebhookDeliveryStatus>()}.");
                chosen = parsed;
            }
            var from = 0;
            var count = 25;
            if (!string.IsNullOrEmpty(skip) && (!int.TryParse(skip, out from) || from < 0)) return Invalid("skip must be a whole number, 0 or more.");
            if (!string.IsNullOrEmpty(take) && (!int.TryParse(take, out count) || count is < 1 or > 500)) return Invalid("take must be 1 to 500.");
            var page = await log.SearchAsync(use.Viewer, new WebhookDeliveryLog.Filter(AccountId: account, EndpointId: endpoint, EventName: @event, Status: chosen, Skip: from, Take: count));
            return TypedResults.Ok(new DeliveryPage(page.Rows.Select(DeliveryItem.From).ToList(), page.Total));
        });

    private static Task<IResult> ResendDeliveryAsync(HttpContext http, Guid deliveryId, WebhookDeliveryLog log) =>
        AsTokenAsync(http, async use =>
        {
            await log.ResendAsync(use.Viewer, deliveryId);
            return TypedResults.Accepted((string?)null);
        });

    // ---- access tokens and staff ----

    private static Task<IResult> ListOwnTokensAsync(HttpContext http, AccessTokenService tokens) =>
        AsTokenAsync(http, async use => TypedResults.Ok((await tokens.ListAsync(use.Viewer)).Select(AccessTokenItem.From).ToArray()));

    private static Task<IResult> RevokeOwnTokenAsync(HttpContext http, Guid tokenId, AccessTokenService tokens) =>
        AsTokenAsync(http, async use =>
        {
            await tokens.RevokeAsync(use.Viewer, tokenId);
            return TypedResults.NoContent();
        });

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

    // ---- OpenAPI ----

    internal static RouteHandlerBuilder Named(this RouteHandlerBuilder endpoint, string name, string summary) =>
        endpoint.WithName(name).WithSummary(summary);

    /// <summary>The success answer and the refusals every management endpoint can give.</summary>
    internal static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder endpoint, int status, bool write = false) =>
        endpoint.Produces<T>(status).Refusals(write);

    internal static RouteHandlerBuilder Answers(this RouteHandlerBuilder endpoint, int status, bool write = false) =>
        endpoint.Produces(status).Refusals(write);

    private static RouteHandlerBuilder Refusals(this RouteHandlerBuilder endpoint, bool write)
    {
        endpoint.Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<ApiErrorBody>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests);
        return endpoint.WithDescription(
            "Authorization: Bearer <access token>, over HTTPS (101, 426, otherwise). Refusals use the error body: 194/114/113 (401) for a missing, unknown or revoked, or expired token; " +
            "225 (403) when the account is locked; 158 (429) past AccessTokens:RequestsPerMinute, with X-RateLimit-* headers; " +
            "195 (404) for what does not exist or belongs to another account; 117 (400) with the UI's message for a refused change" +
            (write ? "; 170 (403) for a read-only token (and every Support token). Every write is recorded in the audit log with the token's name." : "."));
    }

    /// <summary>The example request (which also documents the JSON body the endpoint reads itself) and answer.</summary>
    internal static RouteHandlerBuilder Example(this RouteHandlerBuilder endpoint, object? request, object? response)
    {
        // Bodies are read by the endpoints after the token is checked, so a caller without a token costs no body read.
        if (request is not null) endpoint.Accepts(request.GetType(), "application/json");
        return endpoint.WithMetadata(new ManagementExample(request, response));
    }
}
