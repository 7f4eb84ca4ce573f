using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Tests.Keys;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Applications;

/// <summary>Taking an application offline is one change whoever does it: one audit entry, one webhook event.</summary>
public class ApplicationStatusTests
{
    public static TheoryData<string> Actors => new() { "owner", "admin" };

    [Theory]
    [MemberData(nameof(Actors))]
    public async Task Taking_an_application_offline_raises_one_application_offline_event_whoever_does_it(string actor)
    {
        await using var bed = await KeyTestBed.CreateAsync();
        var admin = new AdminControls(bed.Database.Factory, bed.Changes, bed.Clock);
        var created = await bed.CreateApplicationAsync();
        var application = created.Application;
        await using (var db = bed.Database.CreateContext())
        {
            // A subscribed endpoint, so the event is wanted by someone.
            db.WebhookEndpoints.Add(new WebhookEndpoint
            {
                AccountId = application.AccountId,
                Url = "https://receiver.example/hook",
                Events = WebhookEvents.ApplicationOffline,
                ProtectedSecret = "unused",
                SecretId = "unused",
                CreatedBy = "test",
            });
            await db.SaveChangesAsync();
        }

        if (actor == "admin")
            await admin.SetOnlineAsync(bed.Admin, application.Id, false);
        else
            await bed.Applications.UpdateAsync(bed.Owner, application.Id, new ApplicationService.Form { Name = application.Name, IsOnline = false });

        await using (var db = bed.Database.CreateContext())
        {
            var events = await db.WebhookEvents.Where(e => e.ApplicationId == application.Id && e.Name == WebhookEvents.ApplicationOffline).ToListAsync();
            var offline = Assert.Single(events);
            Assert.Contains(actor == "admin" ? bed.Admin.Name : bed.Owner.Name, offline.DataJson);
            var audit = await db.AuditEntries.Where(e => e.ApplicationId == application.Id && e.Action == AuditActions.ApplicationStatusChanged).ToListAsync();
            // An Admin's offline is a suspension the owner cannot lift; the owner's is plain offline.
            Assert.Equal(actor == "admin" ? "Status: online → suspended by an Admin" : "Status: online → offline", Assert.Single(audit).Changes);
            Assert.False((await db.Applications.SingleAsync(a => a.Id == application.Id)).IsOnline);
        }
    }
}
