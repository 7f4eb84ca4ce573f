using System.Net;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Sessions;
using ControlPanel.Web.Components.Pages.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Sessions;

/// <summary>The Sessions tab and a session's page, per role: owners their own, staff any, read-only; owners and admins end one.</summary>
public sealed class SessionPagesTests : ComponentTest
{
    private sealed record Opened(Viewer Owner, Guid ApplicationId, Guid SessionId, string Token, IssuedKeys Keys);

    /// <summary>An owner's application with a session opened from 198.51.100.4 that made three calls, the third refused (158).</summary>
    private async Task<Opened> SessionWithCallsAsync()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await UseAsync<ApplicationService, ApplicationService.Created>(applications =>
            applications.CreateAsync(owner, new ApplicationService.Form { Name = "Storefront", Environment = ApplicationEnvironment.Live }));
        // Two calls a minute per session, so the third is refused (158) and counts as a refusal of the session.
        await UseAsync<AdminControls, bool>(async admin => { await admin.SetRateLimitsAsync(Admin, created.Application.Id, null, 2); return true; });
        // The check reads keys and applications from memory; the host reloads them on every change.
        await Services.GetRequiredService<KeyIndex>().ReloadAsync();
        await Services.GetRequiredService<ApplicationDirectory>().ReloadAsync();
        var check = Services.GetRequiredService<RequestCheck>();
        var keys = created.Keys;
        var open = new CheckRequest { ApplicationKey = keys.ApplicationKey, ConsumerKey = keys.ConsumerKey, IsHttps = true, SessionManagement = true, ClientIp = IPAddress.Parse("198.51.100.4") };
        var session = (await Services.GetRequiredService<SessionService>().OpenAsync(await check.CheckAsync(open), open.ClientIpText)).Session!;
        await check.CheckAsync(new CheckRequest { SessionToken = session.Token, IsHttps = true, Method = "GET", Path = "/v1/chats/1" });
        await check.CheckAsync(new CheckRequest { SessionToken = session.Token, IsHttps = true, Method = "GET", Path = "/v1/chats/2" });
        Assert.Equal(158, (await check.CheckAsync(new CheckRequest { SessionToken = session.Token, IsHttps = true, Method = "GET", Path = "/v1/chats/3" })).Error?.Code);
        await Services.GetRequiredService<SessionActivityMeter>().FlushAsync(DateTime.UtcNow);
        return new Opened(owner, created.Application.Id, session.SessionId, session.Token, keys);
    }

    private IRenderedComponent<SessionPage> RenderSession(Opened opened, Guid? applicationId = null)
    {
        var page = Render<SessionPage>(p => p.Add(x => x.ApplicationId, applicationId ?? opened.ApplicationId).Add(x => x.SessionId, opened.SessionId));
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=session-id]").Count + page.FindAll("[data-testid=not-found]").Count > 0));
        return page;
    }

    [Fact]
    public async Task The_owner_lists_the_application_s_sessions_with_address_view_and_calls()
    {
        var opened = await SessionWithCallsAsync();
        SignIn(opened.Owner);
        var tab = Render<SessionsTab>(p => p.Add(x => x.ApplicationId, opened.ApplicationId).Add(x => x.CanChange, true));

        tab.WaitForAssertion(() => Assert.Single(tab.FindAll("[data-testid=session-link]")));
        Assert.Equal("198.51.100.4", tab.Find("[data-testid=session-address]").TextContent.Trim());
        Assert.Equal("default", tab.Find("[data-testid=session-view]").TextContent.Trim());
        Assert.Equal("3", tab.Find("[data-testid=session-calls]").TextContent.Trim());
        Assert.Equal("Live", tab.Find("[data-testid=session-row-state]").TextContent.Trim());
        Assert.Contains($"applications/{opened.ApplicationId}/sessions/{opened.SessionId}", tab.Find("[data-testid=session-link]").GetAttribute("href"));
        Assert.Contains("…" + opened.Keys.ApplicationKey[^4..], tab.Markup);
    }

    [Fact]
    public async Task The_owner_reads_a_session_s_activity_by_resource_and_ends_it()
    {
        var opened = await SessionWithCallsAsync();
        SignIn(opened.Owner);
        var page = RenderSession(opened);

        Assert.Contains("198.51.100.4", page.Find("[data-testid=session-opened-from]").TextContent);
        Assert.Equal("3", page.Find("[data-testid=session-total-calls]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=session-total-refusals]").TextContent);
        Assert.Equal(["any /**"], page.FindAll("[data-testid=session-resource-name]").Select(c => c.TextContent.Trim()));
        Assert.Equal("3", page.Find("[data-testid=session-resource-total]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=session-outcome-apex]"));
        // Show as table: the minute's calls by outcome.
        await page.Find("[data-testid=session-outcome-chart-toggle]").ClickAsync(new());
        var total = page.FindAll("[data-testid=session-outcome-table-row] td[data-outcome=Total]").Sum(td => int.Parse(td.TextContent));
        Assert.Equal(3, total);

        var click = page.Find("[data-testid=end-session]").ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        await click;
        page.WaitForAssertion(() => Assert.Equal("Ended", page.Find("[data-testid=session-state]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=end-session]"));
        var after = await Services.GetRequiredService<RequestCheck>().CheckAsync(new CheckRequest { SessionToken = opened.Token, IsHttps = true });
        Assert.Equal(113, after.Error?.Code);
    }

    [Fact]
    public async Task Support_reads_any_session_without_key_characters_and_cannot_end_it()
    {
        var opened = await SessionWithCallsAsync();
        SignIn(await NewStaffAsync(Roles.Support));
        var page = RenderSession(opened);

        Assert.Equal("3", page.Find("[data-testid=session-total-calls]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=end-session]"));
        Assert.Contains("…" + KeyRedaction.Hidden, page.Markup);
        Assert.DoesNotContain(opened.Keys.ApplicationKey[^4..], page.Find("[data-testid=session-opened]").TextContent);

        var tab = Render<SessionsTab>(p => p.Add(x => x.ApplicationId, opened.ApplicationId));
        tab.WaitForAssertion(() => Assert.Single(tab.FindAll("[data-testid=session-link]")));
    }

    [Fact]
    public async Task An_admin_may_end_any_session()
    {
        var opened = await SessionWithCallsAsync();
        SignIn(Admin);
        var page = RenderSession(opened);
        Assert.Single(page.FindAll("[data-testid=end-session]"));
    }

    [Fact]
    public async Task Another_account_s_owner_finds_neither_the_session_nor_the_list()
    {
        var opened = await SessionWithCallsAsync();
        SignIn(await NewOwnerAsync("Other"));
        var page = RenderSession(opened);
        Assert.NotEmpty(page.FindAll("[data-testid=not-found]"));
        Assert.DoesNotContain("198.51.100.4", page.Markup);
    }
}
