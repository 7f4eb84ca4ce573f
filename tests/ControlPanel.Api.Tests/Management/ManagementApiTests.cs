using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Usage;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using ControlPanel.Web.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static ControlPanel.Api.Tests.Management.ManagementCalls;

namespace ControlPanel.Api.Tests.Management;

/// <summary>The management API for an owner, another account's owner, a read-only token, Support, and refused tokens.</summary>
public sealed class ManagementApiTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new ControlPanelFactory()
        .With("Webhooks:AllowHttp", "true")
        .With("Webhooks:AllowPrivateAddresses", "true");

    private HttpClient client = default!;

    public Task InitializeAsync()
    {
        client = factory.CreateApiClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<(Viewer Owner, string Token, Guid ApplicationId, Guid KeyPairId)> OwnerWithApplicationAsync(string account = "Acme")
    {
        var owner = await factory.NewOwnerAsync(account);
        var token = (await factory.NewTokenAsync(owner)).Token;
        var created = await client.SendOkAsync(Manage(HttpMethod.Post, "/applications", token, new ApplicationRequest("Checkout", "Live")), HttpStatusCode.Created);
        return (owner, token, created.GetProperty("application").GetProperty("id").GetGuid(), created.GetProperty("keys").GetProperty("keyPairId").GetGuid());
    }

    [Fact]
    public async Task An_owner_manages_applications_and_keys_and_the_new_pair_verifies()
    {
        var owner = await factory.NewOwnerAsync("Acme");
        var token = (await factory.NewTokenAsync(owner, name: "pipeline")).Token;

        var created = await client.SendOkAsync(Manage(HttpMethod.Post, "/applications", token, new ApplicationRequest("Checkout", "Live", "shop")), HttpStatusCode.Created);
        var application = created.GetProperty("application");
        var id = application.GetProperty("id").GetGuid();
        Assert.Equal(("Checkout", "Live", "shop", owner.AccountId), (application.GetProperty("name").GetString(), application.GetProperty("environment").GetString(),
            application.GetProperty("defaultView").GetString(), (Guid?)application.GetProperty("accountId").GetGuid()));
        var firstPair = created.GetProperty("keys").GetProperty("keyPairId").GetGuid();

        var list = await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", token));
        Assert.Equal([id], list.EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));

        var changed = await client.SendOkAsync(Manage(HttpMethod.Patch, $"/applications/{id}", token, new ApplicationRequest("Checkout EU", "Staging", IsOnline: false)));
        Assert.Equal(("Checkout EU", "Staging", false, "offline", "shop"), (changed.GetProperty("name").GetString(), changed.GetProperty("environment").GetString(),
            changed.GetProperty("isOnline").GetBoolean(), changed.GetProperty("status").GetString(), changed.GetProperty("defaultView").GetString()));
        var online = await client.SendOkAsync(Manage(HttpMethod.Patch, $"/applications/{id}", token, new ApplicationRequest(null, IsOnline: true)));
        Assert.True(online.GetProperty("isOnline").GetBoolean());
        Assert.Equal("Checkout EU", (await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{id}", token))).GetProperty("name").GetString());

        var rotated = await client.SendOkAsync(Manage(HttpMethod.Post, $"/applications/{id}/keys/rotate", token, new RotateRequest("OneHour")), HttpStatusCode.Created);
        var newKeys = new IssuedKeys(rotated.GetProperty("keyPairId").GetGuid(), rotated.GetProperty("applicationKey").GetString()!, rotated.GetProperty("consumerKey").GetString()!);
        var verified = await client.SendOkAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify")
        { Content = JsonContent.Create(new { applicationKey = newKeys.ApplicationKey, consumerKey = newKeys.ConsumerKey }) });
        Assert.True(verified.GetProperty("valid").GetBoolean());

        var pairs = await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{id}/keys", token));
        var old = pairs.EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == firstPair);
        Assert.Equal(factory.Clock.UtcNow.AddHours(1), old.GetProperty("expiresAt").GetDateTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(ApiKey.LastFour(newKeys.ApplicationKey), pairs.EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == newKeys.KeyPairId).GetProperty("applicationKeyLast4").GetString());

        await client.SendOkAsync(Manage(HttpMethod.Delete, $"/applications/{id}/keys/{firstPair}", token), HttpStatusCode.NoContent);
        var after = await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{id}/keys", token));
        Assert.False(after.EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == firstPair).GetProperty("isLive").GetBoolean());
        // The same rule and sentence as the UI's: revoking an ended pair is refused.
        var again = await client.SendAsync(Manage(HttpMethod.Delete, $"/applications/{id}/keys/{firstPair}", token));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var refusal = await again.ReadErrorAsync();
        Assert.Equal((117, "This key pair has already ended."), (refusal.Error, refusal.ExtraInfo));

        // Each write is audited with the token's name: the change itself and the token's use.
        var audit = await factory.UseAsync<AuditLog, AuditLog.Page>(log => log.SearchAsync(owner, new AuditLog.Filter(Take: 100)));
        Assert.Contains(audit.Entries, e => e.Action == AuditActions.KeysRotated && e.ActorName.Contains("token \"pipeline\""));
        Assert.Contains(audit.Entries, e => e.Action == AuditActions.AccessTokenUsed && e.Changes.Contains($"POST /api/v1/manage/applications/{id}/keys/rotate → 201"));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_uis_messages()
    {
        var (owner, token, id, _) = await OwnerWithApplicationAsync();
        var duplicate = await client.SendAsync(Manage(HttpMethod.Post, "/applications", token, new ApplicationRequest("checkout")));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal("An application named \"checkout\" already exists in this account. Choose another name.", (await duplicate.ReadErrorAsync()).ExtraInfo);

        var environment = await client.SendAsync(Manage(HttpMethod.Post, "/applications", token, new ApplicationRequest("Other", "Production")));
        Assert.Equal("environment must be one of Development, Staging, Live.", (await environment.ReadErrorAsync()).ExtraInfo);

        var grace = await client.SendAsync(Manage(HttpMethod.Post, $"/applications/{id}/keys/rotate", token, new RotateRequest("forever")));
        Assert.Equal(HttpStatusCode.BadRequest, grace.StatusCode);
        Assert.Contains("OneHour", (await grace.ReadErrorAsync()).ExtraInfo);

        var broken = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/manage/applications")
        { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), Headers = { { "Authorization", $"Bearer {token}" } } });
        await broken.AssertBodyAsync(HttpStatusCode.BadRequest, 117);
        Assert.Single(await factory.UseAsync<ApplicationService, IReadOnlyList<ApplicationService.Summary>>(a => a.ListAsync(owner)));
    }

    [Fact]
    public async Task The_allowlist_is_read_and_replaced_with_the_uis_validation()
    {
        var (owner, token, id, _) = await OwnerWithApplicationAsync();
        var saved = await client.SendOkAsync(Manage(HttpMethod.Put, $"/applications/{id}/allowlist", token, new AllowlistRequest(["https://Shop.Example.com", "203.0.113.0/24"])));
        var stored = await factory.UseAsync<AllowlistService, AllowlistService.Stored>(a => a.GetAsync(owner, id));
        Assert.Equal(stored.Lines, saved.GetProperty("entries").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(stored.Lines, (await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{id}/allowlist", token))).GetProperty("entries").EnumerateArray().Select(e => e.GetString()));

        var refused = await client.SendAsync(Manage(HttpMethod.Put, $"/applications/{id}/allowlist", token, new AllowlistRequest(["https://ok.example.com", "not an origin at all"])));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var uiMessage = OriginAllowlist.Parse("https://ok.example.com\nnot an origin at all").Errors.Single();
        Assert.Equal($"Nothing was saved. Entry 2 (not an origin at all): {uiMessage.Message}", (await refused.ReadErrorAsync()).ExtraInfo);
        Assert.Equal(stored.Lines, (await factory.UseAsync<AllowlistService, AllowlistService.Stored>(a => a.GetAsync(owner, id))).Lines);
    }

    [Fact]
    public async Task Times_in_answers_are_iso_8601_utc_with_a_z()
    {
        var (_, token, id, _) = await OwnerWithApplicationAsync();

        var answer = (await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{id}/keys", token))).GetRawText();

        var times = System.Text.RegularExpressions.Regex.Matches(answer, "\"(\\d{4}-\\d{2}-\\d{2}T[^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.EndsWith("Z", t));
    }

    [Fact]
    public async Task Usage_answers_what_the_usage_page_reads()
    {
        var (owner, token, id, _) = await OwnerWithApplicationAsync();
        var today = DateOnly.FromDateTime(factory.Clock.UtcNow);
        var answer = await client.SendOkAsync(Manage(HttpMethod.Get, $"/usage?applicationId={id}&from={today.AddDays(-2):yyyy-MM-dd}&to={today:yyyy-MM-dd}", token));
        var page = await factory.UseAsync<UsageReports, UsageReports.History>(r => r.DailyAsync(owner, new UsageReports.Filter(null, id, null, today.AddDays(-2), today)));
        Assert.Equal(page.Days.Count, answer.GetProperty("days").GetArrayLength());
        Assert.Equal(page.Totals.Total, answer.GetProperty("totals").GetProperty("total").GetInt64());
        // The fields are the outcome list's columns between the day and the sums, as they always were.
        var totals = answer.GetProperty("totals");
        string[] fields = ["day", .. UsageOutcomes.Definitions.Select(d => JsonNamingPolicy.CamelCase.ConvertName(d.Column)), "total", "counted"];
        Assert.Equal(fields, totals.EnumerateObject().Select(f => f.Name));
        Assert.Equal(["day", "allowed", "rateLimited", "overQuota", "badOrigin", "badKeys", "other", "total", "counted"], fields);
        Assert.All(UsageOutcomes.Definitions, d => Assert.Equal(page.Totals[d.Outcome], totals.GetProperty(JsonNamingPolicy.CamelCase.ConvertName(d.Column)).GetInt64()));
        Assert.Equal(today.AddDays(-2), DateOnly.Parse(answer.GetProperty("from").GetString()!));

        var backwards = await client.SendAsync(Manage(HttpMethod.Get, $"/usage?from={today:yyyy-MM-dd}&to={today.AddDays(-3):yyyy-MM-dd}", token));
        await backwards.AssertBodyAsync(HttpStatusCode.BadRequest, 311);
    }

    [Fact]
    public async Task An_owner_manages_webhook_endpoints_and_deliveries()
    {
        var (owner, token, _, _) = await OwnerWithApplicationAsync();
        var created = await client.SendOkAsync(Manage(HttpMethod.Post, "/webhooks/endpoints", token,
            new WebhookEndpointRequest("http://127.0.0.1:9/hook", "Key changes", ["key_rotated"])), HttpStatusCode.Created);
        Assert.StartsWith(WebhookSecrets.SecretPrefix, created.GetProperty("signingSecret").GetString());
        var id = created.GetProperty("endpoint").GetProperty("id").GetGuid();

        Assert.Equal([id], (await client.SendOkAsync(Manage(HttpMethod.Get, "/webhooks/endpoints", token))).EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
        var changed = await client.SendOkAsync(Manage(HttpMethod.Patch, $"/webhooks/endpoints/{id}", token, new WebhookEndpointRequest(null, "Billing", ["key_rotated", "key_revoked"])));
        Assert.Equal(("Billing", 2), (changed.GetProperty("description").GetString(), changed.GetProperty("events").GetArrayLength()));
        Assert.Equal("Billing", (await client.SendOkAsync(Manage(HttpMethod.Get, $"/webhooks/endpoints/{id}", token))).GetProperty("description").GetString());

        var badEvent = await client.SendAsync(Manage(HttpMethod.Patch, $"/webhooks/endpoints/{id}", token, new WebhookEndpointRequest(null, Events: ["nope"])));
        Assert.Equal("There is no event named \"nope\".", (await badEvent.ReadErrorAsync()).ExtraInfo);

        var test = await client.SendOkAsync(Manage(HttpMethod.Post, $"/webhooks/endpoints/{id}/test", token), HttpStatusCode.Accepted);
        var deliveryId = test.GetProperty("deliveryId").GetGuid();
        var deliveries = await client.SendOkAsync(Manage(HttpMethod.Get, $"/webhooks/deliveries?endpointId={id}", token));
        Assert.Contains(deliveryId, deliveries.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
        await client.SendOkAsync(Manage(HttpMethod.Post, $"/webhooks/deliveries/{deliveryId}/resend", token), HttpStatusCode.Accepted);

        var disabled = await client.SendOkAsync(Manage(HttpMethod.Post, $"/webhooks/endpoints/{id}/disable", token));
        Assert.False(disabled.GetProperty("isEnabled").GetBoolean());
        var refused = await client.SendAsync(Manage(HttpMethod.Post, $"/webhooks/endpoints/{id}/test", token));
        Assert.Equal("Enable the endpoint before sending it a test event.", (await refused.ReadErrorAsync()).ExtraInfo);
        Assert.False((await factory.UseAsync<WebhookEndpointService, WebhookEndpointService.Details>(s => s.GetAsync(owner, id))).IsEnabled);
    }

    [Fact]
    public async Task The_event_catalogue_is_served_and_a_replay_is_refused_with_the_domains_message()
    {
        var (_, token, _, _) = await OwnerWithApplicationAsync();
        var types = await client.SendOkAsync(Manage(HttpMethod.Get, "/event-types", token));
        var chat = types.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "chat_ended");
        Assert.Equal(("platform", 1), (chat.GetProperty("source").GetString(), chat.GetProperty("version").GetInt32()));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", chat.GetProperty("schema").GetProperty("$schema").GetString());
        Assert.Equal("c-42", chat.GetProperty("example").GetProperty("chat_id").GetString());

        var created = await client.SendOkAsync(Manage(HttpMethod.Post, "/webhooks/endpoints", token,
            new WebhookEndpointRequest("http://127.0.0.1:9/hook", "Key changes", ["key_rotated"])), HttpStatusCode.Created);
        var id = created.GetProperty("endpoint").GetProperty("id").GetGuid();
        var empty = await client.SendAsync(Manage(HttpMethod.Post, $"/webhooks/endpoints/{id}/replays", token, new ReplayRequest(DateTime.UtcNow.AddDays(-1), null, true)));
        Assert.Equal("No events to replay in that range.", (await empty.ReadErrorAsync()).ExtraInfo);
        var noSince = await client.SendAsync(Manage(HttpMethod.Post, $"/webhooks/endpoints/{id}/replays", token, new ReplayRequest(null)));
        Assert.Equal("Choose since when to replay.", (await noSince.ReadErrorAsync()).ExtraInfo);
        var unknown = await client.SendAsync(Manage(HttpMethod.Get, $"/webhooks/replays/{Guid.NewGuid()}", token));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_replay_started_over_the_api_reports_its_progress_and_can_be_cancelled()
    {
        var (_, token, applicationId, _) = await OwnerWithApplicationAsync();
        for (var i = 0; i < 3; i++)
            await client.SendOkAsync(Manage(HttpMethod.Post, $"/applications/{applicationId}/keys/rotate", token, new RotateRequest("Immediately")), HttpStatusCode.Created);
        // The dispatcher has handled the three events before the endpoint exists, so it missed them: a replay sends them.
        await Eventually.TrueAsync(() => factory.UseAsync<IDbContextFactory<ControlPanelDbContext>, bool>(async databases =>
        {
            await using var db = await databases.CreateDbContextAsync();
            return await db.WebhookEvents.CountAsync(e => e.ApplicationId == applicationId && e.FannedOutAt != null) == 3;
        }), "the three key_rotated events handled by the dispatcher");
        var created = await client.SendOkAsync(Manage(HttpMethod.Post, "/webhooks/endpoints", token,
            new WebhookEndpointRequest("http://127.0.0.1:9/hook", "Key changes", ["key_rotated"])), HttpStatusCode.Created);
        var endpointId = created.GetProperty("endpoint").GetProperty("id").GetGuid();

        var started = await client.SendOkAsync(Manage(HttpMethod.Post, $"/webhooks/endpoints/{endpointId}/replays", token,
            new ReplayRequest(factory.Clock.UtcNow.AddHours(-1))), HttpStatusCode.Accepted);
        var replayId = started.GetProperty("id").GetGuid();
        Assert.Equal((endpointId, 3, false), (started.GetProperty("endpointId").GetGuid(), started.GetProperty("total").GetInt32(), started.GetProperty("failedOnly").GetBoolean()));

        var progress = await client.SendOkAsync(Manage(HttpMethod.Get, $"/webhooks/replays/{replayId}", token));
        Assert.Equal((replayId, 3), (progress.GetProperty("id").GetGuid(), progress.GetProperty("total").GetInt32()));

        var cancelled = await client.SendOkAsync(Manage(HttpMethod.Post, $"/webhooks/replays/{replayId}/cancel", token));
        Assert.False(cancelled.GetProperty("isRunning").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, cancelled.GetProperty("cancelledAt").ValueKind);
        // Another account's owner does not see it.
        var (_, otherToken, _, _) = await OwnerWithApplicationAsync("Initech");
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Manage(HttpMethod.Get, $"/webhooks/replays/{replayId}", otherToken))).StatusCode);
    }

    /// <summary>Every endpoint that names a resource, with a body where it takes one.</summary>
    private static IEnumerable<(HttpMethod Method, string Path, object? Body)> ResourceCalls(Guid applicationId, Guid keyPairId, Guid endpointId, Guid deliveryId) =>
    [
        (HttpMethod.Get, $"/applications/{applicationId}", null),
        (HttpMethod.Patch, $"/applications/{applicationId}", new ApplicationRequest("Taken over")),
        (HttpMethod.Get, $"/applications/{applicationId}/keys", null),
        (HttpMethod.Post, $"/applications/{applicationId}/keys/rotate", new RotateRequest("Immediately")),
        (HttpMethod.Delete, $"/applications/{applicationId}/keys/{keyPairId}", null),
        (HttpMethod.Get, $"/applications/{applicationId}/allowlist", null),
        (HttpMethod.Put, $"/applications/{applicationId}/allowlist", new AllowlistRequest(["https://evil.example.com"])),
        (HttpMethod.Get, $"/webhooks/endpoints/{endpointId}", null),
        (HttpMethod.Patch, $"/webhooks/endpoints/{endpointId}", new WebhookEndpointRequest(null, "Taken over")),
        (HttpMethod.Post, $"/webhooks/endpoints/{endpointId}/disable", null),
        (HttpMethod.Post, $"/webhooks/endpoints/{endpointId}/test", null),
        (HttpMethod.Post, $"/webhooks/endpoints/{endpointId}/replays", new ReplayRequest(DateTime.UtcNow.AddDays(-1))),
        (HttpMethod.Post, $"/webhooks/deliveries/{deliveryId}/resend", null),
    ];

    private async Task<(Viewer Owner, Guid ApplicationId, Guid KeyPairId, Guid EndpointId, Guid DeliveryId)> AccountWithEverythingAsync()
    {
        var (owner, token, applicationId, keyPairId) = await OwnerWithApplicationAsync("Victim");
        var endpoint = await client.SendOkAsync(Manage(HttpMethod.Post, "/webhooks/endpoints", token, new WebhookEndpointRequest("http://127.0.0.1:9/hook", "", ["key_rotated"])), HttpStatusCode.Created);
        var endpointId = endpoint.GetProperty("endpoint").GetProperty("id").GetGuid();
        var delivery = await client.SendOkAsync(Manage(HttpMethod.Post, $"/webhooks/endpoints/{endpointId}/test", token), HttpStatusCode.Accepted);
        return (owner, applicationId, keyPairId, endpointId, delivery.GetProperty("deliveryId").GetGuid());
    }

    [Fact]
    public async Task Another_accounts_owner_gets_not_found_everywhere_and_sees_nothing_in_lists()
    {
        var victim = await AccountWithEverythingAsync();
        var intruder = await factory.NewOwnerAsync("Intruder");
        var token = (await factory.NewTokenAsync(intruder)).Token;

        foreach (var (method, path, body) in ResourceCalls(victim.ApplicationId, victim.KeyPairId, victim.EndpointId, victim.DeliveryId))
        {
            var response = await client.SendAsync(Manage(method, path, token, body));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal(195, (await response.ReadErrorAsync()).Error);
        }
        Assert.Equal(0, (await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", token))).GetArrayLength());
        Assert.Equal(0, (await client.SendOkAsync(Manage(HttpMethod.Get, "/webhooks/endpoints", token))).GetArrayLength());
        Assert.Equal(0, (await client.SendOkAsync(Manage(HttpMethod.Get, "/webhooks/deliveries", token))).GetProperty("total").GetInt32());
        var usage = await client.SendAsync(Manage(HttpMethod.Get, $"/usage?applicationId={victim.ApplicationId}", token));
        await usage.AssertBodyAsync(HttpStatusCode.NotFound, 195);

        var application = await factory.UseAsync<ApplicationService, ApplicationService.Details>(a => a.GetAsync(victim.Owner, victim.ApplicationId));
        Assert.Equal("Checkout", application.Application.Name);
        Assert.Single(await factory.UseAsync<KeyService, IReadOnlyList<KeyService.PairView>>(k => k.ListAsync(victim.Owner, victim.ApplicationId)), p => p.IsLive);
    }

    [Fact]
    public async Task A_read_only_token_reads_and_every_write_is_refused()
    {
        var victim = await AccountWithEverythingAsync();
        var reader = (await factory.NewTokenAsync(victim.Owner, AccessTokenScope.ReadOnly, name: "dashboards")).Token;

        Assert.Equal(1, (await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", reader))).GetArrayLength());
        foreach (var (method, path, body) in ResourceCalls(victim.ApplicationId, victim.KeyPairId, victim.EndpointId, victim.DeliveryId))
        {
            var response = await client.SendAsync(Manage(method, path, reader, body));
            if (method == HttpMethod.Get)
            {
                Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
            var error = await response.ReadErrorAsync();
            Assert.Equal((170, "The access token \"dashboards\" is read-only. Make a read and write token to change things."), (error.Error, error.ExtraInfo));
        }
        var create = await client.SendAsync(Manage(HttpMethod.Post, "/applications", reader, new ApplicationRequest("New")));
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Single(await factory.UseAsync<KeyService, IReadOnlyList<KeyService.PairView>>(k => k.ListAsync(victim.Owner, victim.ApplicationId)), p => p.IsLive);
        Assert.Single(await factory.UseAsync<ApplicationService, IReadOnlyList<ApplicationService.Summary>>(a => a.ListAsync(victim.Owner)));
    }

    [Fact]
    public async Task A_support_token_reads_every_account_without_key_material_and_changes_nothing()
    {
        var victim = await AccountWithEverythingAsync();
        // Support may not make tokens; a token made by an Admin who was later moved to Support reads only, whatever its scope.
        var staff = await factory.NewStaffAsync(Roles.Admin);
        Assert.Null(await Record.ExceptionAsync(() => factory.UseAsync<AccessTokenService, IReadOnlyList<AccessTokenService.Row>>(t => t.ListAsync(staff))));
        var token = (await factory.NewTokenAsync(staff, AccessTokenScope.ReadWrite)).Token;
        var support = await factory.NewStaffAsync(Roles.Support);
        await Assert.ThrowsAsync<AccessDeniedException>(() => factory.NewTokenAsync(support));
        await factory.UseAsync<UserManager<ControlPanelUser>>(async users =>
        {
            var user = await users.FindByIdAsync(staff.UserId);
            await users.RemoveFromRoleAsync(user!, Roles.Admin);
            await users.AddToRoleAsync(user!, Roles.Support);
        });

        var keys = await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications/{victim.ApplicationId}/keys", token));
        Assert.All(keys.EnumerateArray(), k => Assert.Equal(KeyRedaction.Hidden, k.GetProperty("applicationKeyLast4").GetString()));
        Assert.Contains(victim.ApplicationId, (await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", token))).EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        // Staff narrow the lists to one account.
        var bystanderApp = await client.SendOkAsync(Manage(HttpMethod.Post, "/applications", (await factory.NewTokenAsync(await factory.NewOwnerAsync("Bystander 2"))).Token, new ApplicationRequest("Other app")), HttpStatusCode.Created);
        Assert.Equal([victim.ApplicationId], (await client.SendOkAsync(Manage(HttpMethod.Get, $"/applications?accountId={victim.Owner.AccountId}", token)))
            .EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        Assert.Equal([victim.EndpointId], (await client.SendOkAsync(Manage(HttpMethod.Get, $"/webhooks/endpoints?accountId={victim.Owner.AccountId}", token)))
            .EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        Assert.Equal(1, (await client.SendOkAsync(Manage(HttpMethod.Get, $"/webhooks/deliveries?accountId={victim.Owner.AccountId}", token))).GetProperty("total").GetInt32());
        Assert.Equal(0, (await client.SendOkAsync(Manage(HttpMethod.Get, $"/webhooks/deliveries?accountId={bystanderApp.GetProperty("application").GetProperty("accountId").GetGuid()}", token))).GetProperty("total").GetInt32());
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications?accountId=42", token))).AssertBodyAsync(HttpStatusCode.BadRequest, 117);
        foreach (var (method, path, body) in ResourceCalls(victim.ApplicationId, victim.KeyPairId, victim.EndpointId, victim.DeliveryId).Where(c => c.Method != HttpMethod.Get))
        {
            var response = await client.SendAsync(Manage(method, path, token, body));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("Support tokens are read-only.", (await response.ReadErrorAsync()).ExtraInfo);
        }
    }

    [Fact]
    public async Task Missing_unknown_expired_revoked_and_orphaned_tokens_and_locked_accounts_are_refused()
    {
        var (owner, token, _, _) = await OwnerWithApplicationAsync();
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", null))).AssertBodyAsync(HttpStatusCode.Unauthorized, 194);
        // A token is a credential: never over plain HTTP (Api:RequireHttps).
        await (await factory.CreateClient().SendAsync(Manage(HttpMethod.Get, "/applications", token))).AssertBodyAsync(HttpStatusCode.UpgradeRequired, 101);
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", "cpat_" + new string('0', 48)))).AssertBodyAsync(HttpStatusCode.Unauthorized, 114);
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", "not-a-token"))).AssertBodyAsync(HttpStatusCode.Unauthorized, 114);

        var shortLived = await factory.NewTokenAsync(owner, expiry: AccessTokenExpiry.ThirtyDays, name: "short");
        await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", shortLived.Token));
        factory.Clock.Advance(TimeSpan.FromDays(31));
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", shortLived.Token))).AssertBodyAsync(HttpStatusCode.Unauthorized, 113);
        await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", token)); // 90 days: still working

        var revoked = await factory.NewTokenAsync(owner, name: "revoked");
        await factory.UseAsync<AccessTokenService>(t => t.RevokeAsync(owner, revoked.Id));
        var refused = await client.SendAsync(Manage(HttpMethod.Get, "/applications", revoked.Token));
        await refused.AssertBodyAsync(HttpStatusCode.Unauthorized, 114);

        await factory.UseAsync<AdminControls>(admin => admin.SetAccountLockedAsync(ControlPanelFactory.Admin, owner.AccountId!.Value, true, "Unpaid invoices"));
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", token))).AssertBodyAsync(HttpStatusCode.Forbidden, 225);

        var staff = await factory.NewStaffAsync(Roles.Admin);
        var staffToken = (await factory.NewTokenAsync(staff)).Token;
        await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", staffToken));
        await factory.UseAsync<UserManager<ControlPanelUser>>(async users => await users.DeleteAsync((await users.FindByIdAsync(staff.UserId))!));
        await (await client.SendAsync(Manage(HttpMethod.Get, "/applications", staffToken))).AssertBodyAsync(HttpStatusCode.Unauthorized, 114);
    }

    [Fact]
    public async Task A_token_records_its_last_use()
    {
        var owner = await factory.NewOwnerAsync("Acme");
        var issued = await factory.NewTokenAsync(owner);
        Assert.Null((await factory.UseAsync<AccessTokenService, IReadOnlyList<AccessTokenService.Row>>(t => t.ListAsync(owner))).Single().LastUsedAt);
        await client.SendOkAsync(Manage(HttpMethod.Get, "/applications", issued.Token));
        Assert.Equal(factory.Clock.UtcNow, (await factory.UseAsync<AccessTokenService, IReadOnlyList<AccessTokenService.Row>>(t => t.ListAsync(owner))).Single().LastUsedAt);
    }

    [Fact]
    public async Task A_rotate_retried_with_the_same_idempotency_key_answers_the_same_pair_without_rotating_again()
    {
        var (owner, token, id, _) = await OwnerWithApplicationAsync();
        HttpRequestMessage Rotate(string key, Guid application, string grace = "OneHour")
        {
            var request = Manage(HttpMethod.Post, $"/applications/{application}/keys/rotate", token, new RotateRequest(grace));
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        var first = await client.SendOkAsync(Rotate("deploy-42", id), HttpStatusCode.Created);
        var retry = await client.SendOkAsync(Rotate("deploy-42", id), HttpStatusCode.Created);
        Assert.False(first.GetProperty("replayed").GetBoolean());
        Assert.True(retry.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("applicationKey").GetString(), retry.GetProperty("applicationKey").GetString());
        Assert.Equal(first.GetProperty("consumerKey").GetString(), retry.GetProperty("consumerKey").GetString());
        Assert.Equal(2, (await factory.UseAsync<KeyService, IReadOnlyList<KeyService.PairView>>(k => k.ListAsync(owner, id))).Count);

        var misuse = await client.SendAsync(Rotate("deploy-42", id, "SevenDays"));
        Assert.Equal("This Idempotency-Key was used for a different rotation. Use a new key for each rotation.", (await misuse.ReadErrorAsync()).ExtraInfo);
        var next = await client.SendOkAsync(Rotate("deploy-43", id), HttpStatusCode.Created);
        Assert.NotEqual(first.GetProperty("applicationKey").GetString(), next.GetProperty("applicationKey").GetString());
        Assert.Equal(3, (await factory.UseAsync<KeyService, IReadOnlyList<KeyService.PairView>>(k => k.ListAsync(owner, id))).Count);

        // The answer is kept for AccessTokens:IdempotencyWindow (1 hour), encrypted; then the key is free again.
        factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var later = await client.SendOkAsync(Rotate("deploy-42", id), HttpStatusCode.Created);
        Assert.False(later.GetProperty("replayed").GetBoolean());
        Assert.Equal(4, (await factory.UseAsync<KeyService, IReadOnlyList<KeyService.PairView>>(k => k.ListAsync(owner, id))).Count);
    }

    [Fact]
    public async Task Creating_an_application_retried_with_the_same_idempotency_key_answers_the_same_application_and_keys()
    {
        var owner = await factory.NewOwnerAsync("Acme");
        var token = (await factory.NewTokenAsync(owner)).Token;
        HttpRequestMessage Create(string key, string name)
        {
            var request = Manage(HttpMethod.Post, "/applications", token, new ApplicationRequest(name, "Live"));
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        async Task<int> ApplicationsAsync() => (await factory.UseAsync<ApplicationService, IReadOnlyList<ApplicationService.Summary>>(a => a.ListAsync(owner, null))).Count;

        var firstAnswer = await client.SendAsync(Create("setup-1", "Checkout"));
        var retryAnswer = await client.SendAsync(Create("setup-1", "Checkout"));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (firstAnswer.StatusCode, retryAnswer.StatusCode));
        Assert.Equal(firstAnswer.Headers.Location, retryAnswer.Headers.Location);
        var (first, retry) = (await firstAnswer.Content.ReadFromJsonAsync<JsonElement>(), await retryAnswer.Content.ReadFromJsonAsync<JsonElement>());
        Assert.False(first.GetProperty("keys").GetProperty("replayed").GetBoolean());
        Assert.True(retry.GetProperty("keys").GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("application").GetProperty("id").GetGuid(), retry.GetProperty("application").GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("keys").GetProperty("consumerKey").GetString(), retry.GetProperty("keys").GetProperty("consumerKey").GetString());
        Assert.Equal(1, await ApplicationsAsync());

        var misuse = await client.SendAsync(Create("setup-1", "Storefront"));
        Assert.Equal(HttpStatusCode.BadRequest, misuse.StatusCode);
        Assert.Equal("This Idempotency-Key was used for a different new application. Use a new key for each new application.", (await misuse.ReadErrorAsync()).ExtraInfo);
        Assert.Equal(1, await ApplicationsAsync());

        // A refused create keeps nothing under its key, so the corrected call may use it.
        await (await client.SendAsync(Create("setup-2", "checkout"))).AssertBodyAsync(HttpStatusCode.BadRequest, 117);
        var corrected = await client.SendOkAsync(Create("setup-2", "Storefront"), HttpStatusCode.Created);
        Assert.False(corrected.GetProperty("keys").GetProperty("replayed").GetBoolean());
        Assert.Equal(2, await ApplicationsAsync());
    }

    [Fact]
    public async Task Every_management_endpoint_is_in_the_openapi_document_with_examples()
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var operations = paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/manage/"))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value))).ToList();
        Assert.Equal(53, operations.Count); // 37, sessions (SessionsApi), members, invitations and a new account's first Owner (MembersApi), deletes and restore (in their areas' files)
        foreach (var (path, method, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
            var success = operation.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2'));
            if (success.Value.TryGetProperty("content", out var content))
                Assert.True(content.GetProperty("application/json").TryGetProperty("example", out _), $"{method} {path} has no example answer");
            if (operation.TryGetProperty("requestBody", out var body))
                Assert.True(body.GetProperty("content").EnumerateObject().First().Value.TryGetProperty("example", out _), $"{method} {path} has no example request");
        }
        var rotate = paths.GetProperty("/api/v1/manage/applications/{applicationId}/keys/rotate").GetProperty("post");
        Assert.Contains(rotate.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
    }
}
