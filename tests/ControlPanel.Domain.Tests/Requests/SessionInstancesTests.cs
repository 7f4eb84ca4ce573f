using ControlPanel.Domain.Data;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Sessions;

namespace ControlPanel.Domain.Tests.Requests;

/// <summary>Sessions opened on one instance and used on another that shares its database.</summary>
public sealed class SessionInstancesTests : IAsyncLifetime
{
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private (SessionStore Store, ChangeFeed Changes) OtherInstance(int lookupsPerSecond = 200)
    {
        var changes = new ChangeFeed(harness.Databases, harness.Clock);
        var options = Microsoft.Extensions.Options.Options.Create(new ApiOptions { RequireHttps = false, SessionLookupsPerSecond = lookupsPerSecond });
        return (new SessionStore(harness.Databases, harness.Clock, options, changes), changes);
    }

    private async Task<SessionService.Opened> OpenSessionAsync()
    {
        var (_, _, keys) = await harness.CreateApplicationAsync();
        return await harness.SessionService.OpenAsync(await harness.Check.CheckAsync(CheckHarness.With(keys)));
    }

    [Fact]
    public async Task A_session_opened_elsewhere_is_looked_up_on_first_use_then_held()
    {
        var opened = await OpenSessionAsync();
        var (other, _) = OtherInstance();

        var (lookup, session) = await other.FindAsync(opened.Token, harness.Clock.UtcNow);

        Assert.Equal(SessionLookup.Live, lookup);
        Assert.Equal(opened.SessionId, session!.Id);
        Assert.Equal(1, other.Count);
        Assert.Same(session, (await other.FindAsync(opened.Token, harness.Clock.UtcNow)).Session);
    }

    [Fact]
    public async Task Lookups_of_tokens_not_held_stop_at_the_budget_for_the_second()
    {
        var opened = await OpenSessionAsync();
        var (other, _) = OtherInstance(lookupsPerSecond: 2);

        Assert.Equal(SessionLookup.Unknown, (await other.FindAsync(SessionToken.New(), harness.Clock.UtcNow)).Lookup);
        Assert.Equal(SessionLookup.Unknown, (await other.FindAsync(SessionToken.New(), harness.Clock.UtcNow)).Lookup);
        Assert.Equal(SessionLookup.Unknown, (await other.FindAsync(opened.Token, harness.Clock.UtcNow)).Lookup); // over budget
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SessionLookup.Live, (await other.FindAsync(opened.Token, harness.Clock.UtcNow)).Lookup);
    }

    [Fact]
    public async Task A_view_changed_on_one_instance_is_seen_on_the_other()
    {
        var opened = await OpenSessionAsync();
        var (other, otherChanges) = OtherInstance();
        await otherChanges.StartAsync();
        var (_, held) = await other.FindAsync(opened.Token, harness.Clock.UtcNow);

        Assert.True(await harness.SessionService.ChangeViewAsync(opened.SessionId, "support desk"));
        await otherChanges.CatchUpAsync();

        Assert.Equal("support desk", held!.View);
    }
}
