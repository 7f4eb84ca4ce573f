using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Tests.Webhooks;
using ControlPanel.Domain.Usage;
using ControlPanel.Domain.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// Every role against every domain service, as one table: each action on the Acme account's rows, and whether each kind of
/// person may do it. Owner: everything in their account, members included; Developer: applications, keys, allowlists,
/// views, webhooks and access tokens, not members; Viewer: reads only; an Owner of another account: none of Acme's rows;
/// Admin: everything; Support: reads only.
/// </summary>
public sealed class MemberRolesTests : IAsyncLifetime
{
    public const string Owner = "Owner", Developer = "Developer", AccountViewer = "Viewer", Outsider = "Outsider", Admin = "Admin", Support = "Support";

    private WebhookTestBed bed = default!;
    private Guid applicationId;
    private Guid keyPairId;
    private Guid endpointId;

    public async Task InitializeAsync()
    {
        bed = await WebhookTestBed.CreateAsync();
        await bed.Changes.StartAsync();
        var otherId = bed.OtherOwner.AccountId!.Value;
        await using (var db = bed.Database.CreateContext())
        {
            foreach (var (id, accountId, role) in new (string, Guid?, string?)[]
            {
                (bed.Owner.UserId, bed.AcmeId, Roles.Owner), ("developer-id", bed.AcmeId, Roles.Developer), ("viewer-id", bed.AcmeId, Roles.Viewer),
                ("target-id", bed.AcmeId, Roles.Developer), (bed.OtherOwner.UserId, otherId, Roles.Owner), (bed.Admin.UserId, null, null),
                (bed.Support.UserId, null, null),
            })
            {
                db.Users.Add(new ControlPanelUser { Id = id, UserName = $"{id}@roles.test", Email = $"{id}@roles.test", DisplayName = id, AccountId = accountId });
                if (accountId is { } account) db.AccountMembers.Add(new AccountMember { AccountId = account, UserId = id, Role = role!, CreatedAt = DateTime.UtcNow });
            }
            await db.SaveChangesAsync();
        }
        var created = await bed.CreateApplicationAsync();
        applicationId = created.Application.Id;
        keyPairId = created.Keys.KeyPairId;
        endpointId = (await bed.AddEndpointAsync("https://hooks.example.test/roles")).EndpointId;
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private Viewer As(string who) => who switch
    {
        Owner => bed.Owner,
        Developer => new Viewer("developer-id", "Dana Developer", Roles.Developer, bed.AcmeId),
        AccountViewer => new Viewer("viewer-id", "Vera Viewer", Roles.Viewer, bed.AcmeId),
        Outsider => bed.OtherOwner,
        Admin => bed.Admin,
        Support => bed.Support,
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    private T Get<T>() where T : notnull => bed.Services.GetRequiredService<T>();

    /// <summary>One row of the table: what is done, and who may do it.</summary>
    private sealed record Case(string Name, Func<Viewer, Task> Run, string[] Allowed);

    // Who may do what, by kind of action.
    private static readonly string[] ListsOwnRows = [Owner, Developer, AccountViewer, Outsider, Admin, Support];
    private static readonly string[] ReadsAcme = [Owner, Developer, AccountViewer, Admin, Support];
    private static readonly string[] ChangesAcme = [Owner, Developer, Admin];
    private static readonly string[] CreatesInOwnAccount = [Owner, Developer, Outsider, Admin];
    private static readonly string[] ManagesAcmeMembers = [Owner, Admin];
    private static readonly string[] ReadsAcmeMembers = [Owner, Admin, Support];
    private static readonly string[] MembersOnly = [Owner, Developer, AccountViewer, Outsider];
    private static readonly string[] StaffOnly = [Admin, Support];
    private static readonly string[] AdminOnly = [Admin];

    /// <summary>In this order: what an action needs (a key pair, a member) is still there when it runs.</summary>
    private IEnumerable<Case> Cases()
    {
        var acme = bed.AcmeId;
        // Reads.
        yield return new("list applications", v => Get<ApplicationService>().ListAsync(v), ListsOwnRows);
        yield return new("read an application", v => Get<ApplicationService>().GetAsync(v, applicationId), ReadsAcme);
        yield return new("list keys", v => Get<KeyService>().ListAsync(v, applicationId), ReadsAcme);
        yield return new("read the allowlist", v => Get<AllowlistService>().GetAsync(v, applicationId), ReadsAcme);
        yield return new("list views", v => Get<ApplicationViews>().ListAsync(v, applicationId), ReadsAcme);
        yield return new("read the quota", v => Get<QuotaService>().GetStateAsync(v, applicationId), ReadsAcme);
        yield return new("read usage", v => Get<UsageReports>().DailyAsync(v, new UsageReports.Filter(ApplicationId: applicationId)), ReadsAcme);
        yield return new("list webhook endpoints", v => Get<WebhookEndpointService>().ListAsync(v), ListsOwnRows);
        yield return new("read a webhook endpoint", v => Get<WebhookEndpointService>().GetAsync(v, endpointId), ReadsAcme);
        yield return new("read delivery success rates", v => Get<WebhookDeliveryLog>().SuccessRatesAsync(v, endpointId), ReadsAcme);
        yield return new("read the latest replay", v => Get<WebhookReplayService>().LatestAsync(v, endpointId), ReadsAcme);
        yield return new("search deliveries", v => Get<WebhookDeliveryLog>().SearchAsync(v, new WebhookDeliveryLog.Filter()), ListsOwnRows);
        yield return new("search the audit log", v => Get<AuditLog>().SearchAsync(v, new AuditLog.Filter()), ListsOwnRows);
        yield return new("read the resource catalogue", v => Get<ResourceService>().ListAsync(v), ListsOwnRows);
        yield return new("read the account's dashboard", v => Get<Dashboard>().ForOwnerAsync(v), MembersOnly);
        yield return new("read the staff dashboard", v => Get<Dashboard>().ForStaffAsync(v), StaffOnly);
        yield return new("read the usage overview", v => Get<UsageReports>().OverviewAsync(v), StaffOnly);
        yield return new("list Acme's members", v => Get<AccountMembers>().ListAsync(v, acme), ReadsAcmeMembers);

        // Making things, in the account the person acts in (an Admin names Acme).
        yield return new("create an application", v => Get<ApplicationService>().CreateAsync(v, new ApplicationService.Form { Name = "Made by " + v.Role, AccountId = acme }), CreatesInOwnAccount);
        yield return new("add a webhook endpoint", v => Get<WebhookEndpointService>().CreateAsync(v, new WebhookEndpointService.Form
        {
            Url = "https://hooks.example.test/" + v.UserId,
            Events = [WebhookEvents.KeyRotated],
            AccountId = acme,
        }), CreatesInOwnAccount);
        yield return new("make an access token", v => Get<AccessTokenService>().CreateAsync(v, new AccessTokenService.Form { Name = "ci" }), CreatesInOwnAccount);
        yield return new("list own access tokens", v => Get<AccessTokenService>().ListAsync(v), CreatesInOwnAccount);

        // Changing Acme's rows.
        yield return new("rename an application", v => Get<ApplicationService>().UpdateAsync(v, applicationId, new ApplicationService.Form { Name = "Renamed by " + v.Role }), ChangesAcme);
        yield return new("rotate keys", v => Get<KeyService>().RotateAsync(v, applicationId, RotationGrace.OneHour), ChangesAcme);
        yield return new("save the allowlist", v => Get<AllowlistService>().SaveAsync(v, applicationId, "https://shop.example.test"), ChangesAcme);
        yield return new("add a view", v => Get<ApplicationViews>().AddAsync(v, applicationId, new ApplicationViews.Form { Name = "reports" }), ChangesAcme);
        yield return new("describe a view", v => Get<ApplicationViews>().DescribeAsync(v, applicationId, "reports", "Monthly reports"), ChangesAcme);
        yield return new("remove a view", v => Get<ApplicationViews>().RemoveAsync(v, applicationId, "reports"), ChangesAcme);
        yield return new("edit a webhook endpoint", v => Get<WebhookEndpointService>().UpdateAsync(v, endpointId, new WebhookEndpointService.Form
        {
            Url = "https://hooks.example.test/roles",
            Description = "Edited by " + v.Role,
            Events = [WebhookEvents.KeyRotated, WebhookEvents.KeyRevoked],
        }), ChangesAcme);
        yield return new("rotate a signing secret", v => Get<WebhookEndpointService>().RotateSecretAsync(v, endpointId), ChangesAcme);
        yield return new("set a verification secret", v => Get<WebhookEndpointService>().SetVerificationSecretAsync(v, endpointId, null), ChangesAcme);
        yield return new("send a test event", v => Get<WebhookEndpointService>().SendTestAsync(v, endpointId), ChangesAcme);
        yield return new("revoke a key pair", v => Get<KeyService>().RevokeAsync(v, applicationId, keyPairId), ChangesAcme);
        yield return new("disable a webhook endpoint", v => Get<WebhookEndpointService>().DisableAsync(v, endpointId), ChangesAcme);

        // Members.
        yield return new("change a member's role", v => Get<AccountMembers>().ChangeRoleAsync(v, acme, "target-id", Roles.Viewer), ManagesAcmeMembers);
        yield return new("remove a member", v => Get<AccountMembers>().RemoveAsync(v, acme, "target-id"), ManagesAcmeMembers);

        // What only Admins do.
        yield return new("set a quota", v => Get<AdminControls>().SetQuotaAsync(v, applicationId, 1000, 0), AdminOnly);
        yield return new("take an application offline", v => Get<AdminControls>().SetOnlineAsync(v, applicationId, false), AdminOnly);
        yield return new("add a resource", v => Get<ResourceService>().CreateAsync(v, new ResourceService.Form { Method = "GET", Path = "/roles/" + v.Role.ToLowerInvariant() }), AdminOnly);
        yield return new("add an event type", v => Get<EventCatalogue>().SaveAsync(v, new EventCatalogue.Form
        {
            Name = "roles_" + v.Role.ToLowerInvariant(),
            Description = "A test event type",
        }), AdminOnly);
        yield return new("lock the account", v => Get<AdminControls>().SetAccountLockedAsync(v, acme, true, "Unpaid invoices"), AdminOnly);
    }

    public static TheoryData<string> Everyone => new() { Owner, Developer, AccountViewer, Outsider, Admin, Support };

    [Theory]
    [MemberData(nameof(Everyone))]
    public async Task Each_role_does_what_it_may_and_is_refused_the_rest(string who)
    {
        var viewer = As(who);
        var wrong = new List<string>();
        foreach (var action in Cases())
        {
            var allowed = action.Allowed.Contains(who);
            try
            {
                await action.Run(viewer);
                if (!allowed) wrong.Add($"{action.Name}: allowed, should be refused");
            }
            catch (AccessDeniedException)
            {
                if (allowed) wrong.Add($"{action.Name}: refused, should be allowed");
            }
        }
        Assert.True(wrong.Count == 0, $"{who}:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_viewer_sees_no_key_material_and_a_developer_does()
    {
        var developer = As(Developer);
        var rotated = await Get<KeyService>().RotateAsync(developer, applicationId, RotationGrace.OneHour);
        var four = ApiKey.LastFour(rotated.ApplicationKey);

        var asDeveloper = await Get<KeyService>().ListAsync(developer, applicationId);
        var asViewer = await Get<KeyService>().ListAsync(As(AccountViewer), applicationId);
        Assert.Contains(asDeveloper, p => p.ApplicationKeyLast4 == four);
        Assert.All(asViewer, p => Assert.Equal(KeyRedaction.Hidden, p.ApplicationKeyLast4));

        var rotations = (await Get<AuditLog>().SearchAsync(As(AccountViewer), new AuditLog.Filter(Action: AuditActions.KeysRotated))).Entries;
        Assert.DoesNotContain(rotations, e => e.Changes.Contains(four));
        Assert.Contains((await Get<AuditLog>().SearchAsync(developer, new AuditLog.Filter(Action: AuditActions.KeysRotated))).Entries, e => e.Changes.Contains(four));
    }

    [Fact]
    public async Task What_a_refused_role_tried_did_not_happen()
    {
        var viewer = As(AccountViewer);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Get<ApplicationService>().UpdateAsync(viewer, applicationId, new ApplicationService.Form { Name = "Hijacked" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Get<AccountMembers>().RemoveAsync(As(Developer), bed.AcmeId, "viewer-id"));

        Assert.Equal("Storefront", (await Get<ApplicationService>().GetAsync(bed.Owner, applicationId)).Application.Name);
        Assert.Contains(await Get<AccountMembers>().ListAsync(bed.Owner, bed.AcmeId), m => m.UserId == "viewer-id" && m.Role == Roles.Viewer);
    }
}
