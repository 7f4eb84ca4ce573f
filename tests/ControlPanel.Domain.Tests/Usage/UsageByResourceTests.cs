using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Tests.Requests;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Usage;

/// <summary>The usage meter records each decision's resource; reports split calls and refusals by resource.</summary>
public sealed class UsageByResourceTests : IAsyncLifetime
{
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private async Task<T> ReportAsync<T>(Func<UsageReports, Task<T>> read)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<UsageReports>());
    }

    private static CheckRequest Call(ControlPanel.Domain.Keys.IssuedKeys keys, string method, string path) => CheckHarness.With(keys) with { Method = method, Path = path };

    [Fact]
    public async Task Calls_and_refusals_are_split_by_resource_and_add_up_to_the_day_totals()
    {
        var chats = await harness.Resources.CreateAsync(CheckHarness.Admin, new ResourceService.Form { Method = "GET", Path = "/v1/chats/{id}", LiveApplicationOnly = 2 });
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        for (var i = 0; i < 3; i++) await harness.Check.CheckAsync(Call(keys, "GET", $"/v1/chats/{i}")); // the third answers 158
        await harness.Check.CheckAsync(Call(keys, "POST", "/v1/messages"));
        await harness.Check.CheckAsync(CheckHarness.With(keys));
        await harness.Usage.FlushAsync(harness.Clock.GetUtcNow().UtcDateTime);

        var owner = new Viewer("owner", "Olivia Owner", Roles.Owner, accountId);
        var filter = new UsageReports.Filter(ApplicationId: applicationId, Range: UsageRangePreset.Last7Days);
        var split = await ReportAsync(reports => reports.ResourcesAsync(owner, filter));
        Assert.Equal(["GET /v1/chats/{id}", "any /**"], split.Resources.Select(r => r.Resource));
        var chat = split.Resources[0];
        Assert.Equal((chats, 2L, 1L, 3L), (chat.ResourceId, chat.Totals[UsageOutcome.Allowed], chat.Totals[UsageOutcome.RateLimited], chat.Totals.Total));
        Assert.Equal(3L, chat.CallsPerDay[^1]); // today is the range's last day
        Assert.Equal(2L, split.Resources[1].Totals[UsageOutcome.Allowed]);
        var days = await ReportAsync(reports => reports.DailyAsync(owner, filter with { Range = null, From = split.Range.From, To = split.Range.To }));
        Assert.Equal(days.Totals.Total, split.Resources.Sum(r => r.Totals.Total));

        // The file by resource: a row per day, application and resource, named.
        var rows = await ReportAsync(async reports =>
        {
            var list = new List<UsageReports.ResourceHistoryRow>();
            await foreach (var row in await reports.ExportResourcesAsync(CheckHarness.Admin, filter with { Range = null, From = split.Range.From, To = split.Range.To }))
                list.Add(row);
            return list;
        });
        var chatRow = rows.Single(r => r.ResourceId == chats);
        Assert.Equal(("Storefront", "GET /v1/chats/{id}", 2L, 1L, 0L, 3L), (chatRow.ApplicationName, chatRow.Resource, chatRow.Allowed, chatRow.RateLimited, chatRow.Other, chatRow.Total));
        Assert.Equal(2, rows.Count);

        // Another account's owner is refused, not answered empty.
        var stranger = new Viewer("stranger", "Sam Stranger", Roles.Owner, Guid.NewGuid());
        await Assert.ThrowsAsync<AccessDeniedException>(() => ReportAsync(reports => reports.ResourcesAsync(stranger, filter)));
    }

    [Fact]
    public async Task Resource_days_past_the_retention_are_deleted_with_the_other_day_rows()
    {
        var (_, _, keys) = await harness.CreateApplicationAsync();
        await harness.Check.CheckAsync(CheckHarness.With(keys));
        await harness.Usage.FlushAsync(harness.Clock.GetUtcNow().UtcDateTime);
        harness.Clock.Advance(TimeSpan.FromDays(new UsageOptions().DayRetentionDays + 1));

        await harness.Services.GetRequiredService<UsageRetention>().DeleteExpiredAsync();

        await using var db = harness.Database.CreateContext();
        Assert.Equal(0, await db.UsageResourceDays.CountAsync());
    }
}
