using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Usage;

/// <summary>
/// Usage made the way production makes it: calls go through the one request check (which counts the quota and
/// records usage), then the meter and the notifications are flushed as the host does every second.
/// </summary>
public abstract class UsageComponentTest : ComponentTest
{
    protected async Task<(Guid Id, IssuedKeys Keys)> NewApplicationAsync(Viewer owner, string name)
    {
        var created = await UseAsync<ApplicationService, ApplicationService.Created>(applications =>
            applications.CreateAsync(owner, new ApplicationService.Form { Name = name, Environment = ApplicationEnvironment.Live }));
        return (created.Application.Id, created.Keys);
    }

    protected Task SetQuotaAsync(Guid applicationId, long quota, long allowance) =>
        UseAsync<AdminControls, bool>(async admin => { await admin.SetQuotaAsync(Admin, applicationId, quota, allowance); return true; });

    /// <summary>Makes <paramref name="count"/> calls with the keys (to a resource, when given); returns each answer's error code (0 when allowed).</summary>
    protected async Task<List<int>> CallAsync(IssuedKeys keys, int count, string? method = null, string? path = null)
    {
        // The check reads keys and applications from memory; the host reloads them on every change.
        await Services.GetRequiredService<KeyIndex>().ReloadAsync();
        await Services.GetRequiredService<ApplicationDirectory>().ReloadAsync();
        var check = Services.GetRequiredService<RequestCheck>();
        var codes = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var decision = await check.CheckAsync(new CheckRequest { ApplicationKey = keys.ApplicationKey, ConsumerKey = keys.ConsumerKey, IsHttps = true, Method = method, Path = path });
            codes.Add(decision.Error?.Code ?? 0);
        }
        await Services.GetRequiredService<UsageMeter>().FlushAsync(DateTime.UtcNow);
        await Services.GetRequiredService<QuotaLedger>().FlushNotificationsAsync();
        return codes;
    }
}
