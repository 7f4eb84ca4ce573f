using System.ComponentModel.DataAnnotations;
using System.Net;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Tests.Requests;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Sessions;

/// <summary>What a session did, kept per minute by resource and outcome; who reads it; ending a session; its retention.</summary>
public sealed class SessionActivityTests : IAsyncLifetime
{
    private CheckHarness harness = null!;
    private SessionActivityMeter meter = null!;

    public async Task InitializeAsync()
    {
        harness = await CheckHarness.CreateAsync();
        meter = harness.Services.GetRequiredService<SessionActivityMeter>();
    }

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private static readonly Viewer Support = new("support-1", "Sam Support", Roles.Support, null);

    private static Viewer OwnerOf(Guid accountId) => new($"owner-{accountId:N}", "Olivia Owner", Roles.Owner, accountId);

    private async Task<T> UseAsync<T>(Func<SessionHistory, Task<T>> read)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SessionHistory>());
    }

    private Task EndAsync(Viewer viewer, Guid applicationId, Guid sessionId) => UseAsync(async history =>
    {
        await history.EndAsync(viewer, applicationId, sessionId);
        return true;
    });

    private async Task<SessionService.Opened> OpenAsync(IssuedKeys keys, string address = "203.0.113.7")
    {
        var request = CheckHarness.With(keys) with { SessionManagement = true, ClientIp = IPAddress.Parse(address) };
        return (await harness.SessionService.OpenAsync(await harness.Check.CheckAsync(request), request.ClientIpText)).Session!;
    }

    private static CheckRequest Bearer(string token, string method, string path) =>
        new() { SessionToken = token, IsHttps = true, Method = method, Path = path };

    private Task FlushAsync() => meter.FlushAsync(harness.Clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task Calls_are_kept_per_minute_by_resource_and_outcome_with_where_the_session_was_opened_and_its_view_changes()
    {
        await harness.Resources.CreateAsync(CheckHarness.Admin, new ResourceService.Form { Method = "GET", Path = "/v1/chats/{id}", LivePerUser = 2 });
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AddViewAsync(applicationId, "catalogue");
        var opened = await OpenAsync(keys);
        var openedAt = harness.Clock.GetUtcNow().UtcDateTime;

        for (var i = 0; i < 3; i++) await harness.Check.CheckAsync(Bearer(opened.Token, "GET", $"/v1/chats/{i}")); // the third is over 2 a minute
        await harness.Check.CheckAsync(Bearer(opened.Token, "POST", "/v1/messages"));
        // Changing the view is checked as session management, as PUT /api/v1/session/view does.
        Assert.True((await harness.Check.CheckAsync(Bearer(opened.Token, "PUT", "/api/v1/session/view") with { SessionManagement = true })).Allowed);
        Assert.True(await harness.SessionService.ChangeViewAsync(opened.SessionId, "catalogue"));
        await FlushAsync();
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.Check.CheckAsync(Bearer(opened.Token, "GET", "/v1/chats/9"));
        await FlushAsync();
        // A call without the session is the application's, not the session's.
        await harness.Check.CheckAsync(CheckHarness.With(keys) with { Method = "GET", Path = "/v1/chats/1" });
        await FlushAsync();

        var page = await UseAsync(history => history.ListAsync(OwnerOf(accountId), applicationId, new SessionHistory.Filter()));
        var row = Assert.Single(page.Rows);
        Assert.Equal((opened.SessionId, "203.0.113.7", "catalogue", SessionState.Live, 6L, 1L), (row.Id, row.OpenedFrom, row.View, row.State, row.Calls, row.Refusals));
        var firstMinute = new DateTime(openedAt.Ticks - openedAt.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        Assert.Equal(firstMinute.AddMinutes(1), row.LastCall);
        Assert.Equal("…" + keys.ApplicationKey[^4..], row.KeyPair);

        var details = await UseAsync(history => history.GetAsync(OwnerOf(accountId), applicationId, opened.SessionId));
        Assert.Equal("default", details.FirstView);
        var change = Assert.Single(details.ViewChanges);
        Assert.Equal(("default", "catalogue"), (change.From, change.To));
        Assert.Equal(SessionHistory.MinimumTimelineMinutes, details.Minutes.Count);
        Assert.Equal(6, details.Minutes.Sum(m => m.Total));
        Assert.Equal((firstMinute, 4L, 1L, 1L), (details.Minutes[0].Start, details.Minutes[0][UsageOutcome.Allowed], details.Minutes[0][UsageOutcome.RateLimited], details.Minutes[1].Total));
        var chats = details.Resources.Single(r => r.Resource == "GET /v1/chats/{id}");
        Assert.Equal((3L, 1L, 4L), (chats.Totals[UsageOutcome.Allowed], chats.Totals[UsageOutcome.RateLimited], chats.Totals.Total));
        Assert.Equal([3L, 1L], chats.PerMinute.Take(2));
        Assert.All(chats.PerMinute.Skip(2), calls => Assert.Equal(0, calls));
        Assert.Equal(1L, details.Resources.Single(r => r.Resource == "any /**").Totals[UsageOutcome.Allowed]);
        Assert.Equal(1L, details.Resources.Single(r => r.Resource == RouteTable.SessionManagement.Title).Totals[UsageOutcome.Allowed]);
        Assert.Contains(details.Activity, a => a.Resource == "GET /v1/chats/{id}" && a.Outcome == 158 && a.Calls == 1);
        Assert.True(details.CanEnd);

        // Filters: by state, address and view.
        Assert.Single((await UseAsync(h => h.ListAsync(Support, applicationId, new SessionHistory.Filter(SessionState.Live, "203.0.", "catalogue")))).Rows);
        Assert.Empty((await UseAsync(h => h.ListAsync(Support, applicationId, new SessionHistory.Filter(SessionState.Ended)))).Rows);
        Assert.Empty((await UseAsync(h => h.ListAsync(Support, applicationId, new SessionHistory.Filter(Address: "198.51.")))).Rows);
        Assert.Empty((await UseAsync(h => h.ListAsync(Support, applicationId, new SessionHistory.Filter(View: "default")))).Rows);
    }

    [Fact]
    public async Task Owners_read_only_their_own_sessions_support_reads_any_without_key_characters_and_cannot_end_one()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        var (otherAccountId, _, _) = await harness.CreateApplicationAsync(name: "Other");
        var opened = await OpenAsync(keys);

        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync(h => h.ListAsync(OwnerOf(otherAccountId), applicationId, new SessionHistory.Filter())));
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync(h => h.GetAsync(OwnerOf(otherAccountId), applicationId, opened.SessionId)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => EndAsync(OwnerOf(otherAccountId), applicationId, opened.SessionId));
        // A session asked for under another application is not found either.
        var (_, secondApplication, _) = await harness.CreateApplicationAsync(name: "Second");
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync(h => h.GetAsync(CheckHarness.Admin, secondApplication, opened.SessionId)));

        var seen = await UseAsync(h => h.GetAsync(Support, applicationId, opened.SessionId));
        Assert.Equal("…" + KeyRedaction.Hidden, seen.Session.KeyPair);
        Assert.False(seen.CanEnd);
        await Assert.ThrowsAsync<AccessDeniedException>(() => EndAsync(Support, applicationId, opened.SessionId));
        Assert.True((await UseAsync(h => h.GetAsync(OwnerOf(accountId), applicationId, opened.SessionId))).CanEnd);
    }

    [Fact]
    public async Task An_ended_session_answers_113_here_and_on_another_instance_and_is_audited()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        var opened = await OpenAsync(keys);
        // Another instance that already holds the session (it served a call with it).
        var options = Microsoft.Extensions.Options.Options.Create(new ApiOptions { RequireHttps = false });
        var other = new SessionStore(harness.Databases, harness.Clock, options);
        var otherFeed = new ChangeFeed(harness.Databases, harness.Clock, [other]);
        await otherFeed.StartAsync();
        Assert.Equal(SessionLookup.Live, (await other.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime)).Lookup);

        await EndAsync(OwnerOf(accountId), applicationId, opened.SessionId);

        var refused = await harness.Check.CheckAsync(Bearer(opened.Token, "GET", "/v1/chats/1"));
        Assert.Equal(113, refused.Error?.Code);
        Assert.Contains("ended", refused.ExtraInfo);
        await otherFeed.CatchUpAsync();
        Assert.Equal(SessionLookup.Expired, (await other.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime)).Lookup);

        var row = (await UseAsync(h => h.GetAsync(CheckHarness.Admin, applicationId, opened.SessionId))).Session;
        Assert.Equal((SessionState.Ended, "Olivia Owner"), (row.State, row.EndedBy));
        // The slot is free again, and ending twice is refused with a reason.
        await Assert.ThrowsAsync<ValidationException>(() => EndAsync(CheckHarness.Admin, applicationId, opened.SessionId));
        await using var db = harness.Database.CreateContext();
        Assert.Equal(0, await db.Sessions.CountAsync(s => s.ExpiresAt > harness.Clock.GetUtcNow().UtcDateTime));
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SessionEnded);
        Assert.Equal(applicationId, entry.ApplicationId);
    }

    [Fact]
    public async Task Sessions_and_their_activity_are_kept_for_the_retention_then_deleted_and_the_token_answers_114_after_a_day()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var opened = await OpenAsync(keys);
        await harness.Check.CheckAsync(Bearer(opened.Token, "GET", "/v1/chats/1"));
        await FlushAsync();
        var retention = harness.Services.GetRequiredService<SessionRetention>();

        // Two days on: the row stays for its activity, but another instance takes the token for unknown (114), as before.
        harness.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(new SessionRetention.Deleted(0, 0), await retention.DeleteExpiredAsync());
        var fresh = new SessionStore(harness.Databases, harness.Clock, Microsoft.Extensions.Options.Options.Create(new ApiOptions()));
        Assert.Equal(SessionLookup.Unknown, (await fresh.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime)).Lookup);
        Assert.Single((await UseAsync(h => h.ListAsync(CheckHarness.Admin, applicationId, new SessionHistory.Filter(SessionState.Expired)))).Rows);

        harness.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(new SessionRetention.Deleted(1, 1), await retention.DeleteExpiredAsync());
        Assert.Empty((await UseAsync(h => h.ListAsync(CheckHarness.Admin, applicationId, new SessionHistory.Filter()))).Rows);
    }

    [Fact]
    public void Recording_a_call_allocates_nothing_once_its_minute_is_counted()
    {
        var session = Guid.NewGuid();
        var at = harness.Clock.GetUtcNow().UtcDateTime;
        meter.Record(session, Resource.DefaultId, 0, at);
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (var i = 0; i < 1_000; i++) meter.Record(session, Resource.DefaultId, 0, at);
        }));
        Assert.Equal(3_001, meter.Pending().Single().Value);
    }
}
