using System.Text.Json;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>The panel's own events, raised the way the product raises them, meet the schemas the catalogue publishes.</summary>
public sealed class RaisedEventsTests
{
    [Fact]
    public async Task Every_event_the_panel_raises_meets_its_published_schema()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var endpoint = await bed.AddEndpointAsync("https://hooks.example.test/all", [.. WebhookEvents.Subscribable]);
        var created = await bed.CreateApplicationAsync();
        var id = created.Application.Id;

        await bed.Keys.RotateAsync(bed.Owner, id, RotationGrace.Immediately);
        await bed.Keys.RevokeAsync(bed.Owner, id, (await bed.Keys.ListAsync(bed.Owner, id)).First(p => p.IsLive).Id);
        var keys = await bed.Keys.RotateAsync(bed.Owner, id, RotationGrace.Immediately);
        await bed.Services.GetRequiredService<AdminControls>().SetQuotaAsync(bed.Admin, id, 2, 5);
        for (var i = 0; i < 3; i++) await bed.Check.CheckAsync(WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey));
        await bed.Services.GetRequiredService<QuotaLedger>().FlushNotificationsAsync();
        await bed.Applications.UpdateAsync(bed.Owner, id, new() { Name = "Storefront", IsOnline = false });
        await bed.Endpoints.SendTestAsync(bed.Owner, endpoint.EndpointId);

        var catalogue = bed.Services.GetRequiredService<EventCatalogue>();
        await using var db = bed.Database.CreateContext();
        var raised = await db.WebhookEvents.AsNoTracking().ToListAsync();
        Assert.Equal(
            [WebhookEvents.ApplicationOffline, WebhookEvents.KeyRevoked, WebhookEvents.KeyRotated, WebhookEvents.QuotaExceeded,
             WebhookEvents.QuotaThresholdReached, WebhookEvents.Test],
            raised.Select(e => e.Name).Distinct().Order(StringComparer.Ordinal));
        foreach (var raisedEvent in raised)
        {
            var type = await catalogue.FindAsync(raisedEvent.Name);
            Assert.NotNull(type);
            using var data = JsonDocument.Parse(raisedEvent.DataJson);
            Assert.True(catalogue.FirstViolation(type, data.RootElement) is null,
                $"{raisedEvent.Name} {raisedEvent.DataJson}: {catalogue.FirstViolation(type, data.RootElement)}");
        }
    }
}
