using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>
/// Deleting a webhook endpoint: its waiting deliveries end as failed saying why, it leaves the list and takes no new events, and
/// its delivery log stays readable to the account, naming it deleted.
/// </summary>
public sealed class EndpointDeletionTests
{
    [Fact]
    public async Task Waiting_deliveries_fail_with_the_reason_the_endpoint_leaves_the_list_and_its_log_stays()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var deleted = await bed.AddEndpointAsync("https://hooks.example.test/old");
        var kept = await bed.AddEndpointAsync("https://hooks.example.test/new");
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
        await bed.NewDispatcher().FanOutAsync();

        await bed.Endpoints.DeleteAsync(bed.Owner, deleted.EndpointId);

        Assert.Equal([kept.EndpointId], (await bed.Endpoints.ListAsync(bed.Owner)).Select(e => e.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.GetAsync(bed.Owner, deleted.EndpointId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.DisableAsync(bed.Owner, deleted.EndpointId));

        var rows = (await bed.Log.SearchAsync(bed.Owner, new WebhookDeliveryLog.Filter())).Rows;
        Assert.Equal(2, rows.Count);
        var ended = Assert.Single(rows, r => r.EndpointId == deleted.EndpointId);
        Assert.Equal(
            (WebhookDeliveryStatus.Failed, WebhookEndpoint.DeletedReason, "https://hooks.example.test/old" + WebhookEndpoint.DeletedSuffix),
            (ended.Status, ended.LastError, ended.EndpointUrl));
        Assert.Equal(WebhookDeliveryStatus.Pending, rows.Single(r => r.EndpointId == kept.EndpointId).Status);
        Assert.Equal(ended.Id, (await bed.Log.GetAsync(bed.Owner, ended.Id)).Delivery.Id);

        // New events reach only the endpoint that is left.
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
        await bed.NewDispatcher().FanOutAsync();
        rows = (await bed.Log.SearchAsync(bed.Owner, new WebhookDeliveryLog.Filter())).Rows;
        Assert.Equal(3, rows.Count);
        Assert.Single(rows, r => r.EndpointId == deleted.EndpointId);

        var audit = await bed.Audit.SearchAsync(bed.Owner, new AuditLog.Filter(Action: AuditActions.WebhookEndpointDeleted));
        Assert.Contains("https://hooks.example.test/old; 1 waiting delivery ended as failed", Assert.Single(audit.Entries).Changes);
    }

    [Fact]
    public async Task A_delivery_under_way_when_its_endpoint_is_deleted_ends_as_failed_without_being_sent()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var endpoint = await bed.AddEndpointAsync("http://127.0.0.1:9/unreachable");
        var created = await bed.CreateApplicationAsync();
        await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.Immediately);
        var dispatcher = bed.NewDispatcher();
        await dispatcher.FanOutAsync();
        await bed.Endpoints.DeleteAsync(bed.Owner, endpoint.EndpointId);

        // As if an attempt had put it back to retrying after the delete (the attempt was already running).
        await using (var db = bed.Database.CreateContext())
        {
            var delivery = db.WebhookDeliveries.Single();
            (delivery.Status, delivery.NextAttemptAt, delivery.LastError) = (WebhookDeliveryStatus.Retrying, DateTime.UtcNow.AddSeconds(-1), null);
            await db.SaveChangesAsync();
        }
        await WebhookTestBed.RunUntilAsync(dispatcher, async () => await bed.SingleStatusAsync() == WebhookDeliveryStatus.Failed);

        var details = await bed.SingleDeliveryAsync();
        Assert.Equal(WebhookEndpoint.DeletedReason, details.Delivery.LastError);
        Assert.Empty(details.Attempts);
    }

    [Fact]
    public async Task Only_an_Owner_or_Developer_of_its_account_or_an_Admin_deletes_an_endpoint()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var endpoint = await bed.AddEndpointAsync("https://hooks.example.test/roles");
        foreach (var refused in new[] { bed.OtherOwner, bed.Support, new Viewer("viewer-id", "Vera Viewer", Roles.Viewer, bed.AcmeId) })
            await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.DeleteAsync(refused, endpoint.EndpointId));
        Assert.Single(await bed.Endpoints.ListAsync(bed.Owner));

        await bed.Endpoints.DeleteAsync(new Viewer("developer-id", "Dana Developer", Roles.Developer, bed.AcmeId), endpoint.EndpointId);
        Assert.Empty(await bed.Endpoints.ListAsync(bed.Owner));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.DeleteAsync(bed.Admin, endpoint.EndpointId));
    }
}
