using System.Data.Common;
using System.Security.Cryptography;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Tests.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlPanel.Domain.Tests.Sessions;

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

    private (SessionStore Store, ChangeFeed Changes) OtherInstance(int lookupsPerSecond = 200, IDbContextFactory<ControlPanelDbContext>? databases = null)
    {
        databases ??= harness.Databases;
        var options = Microsoft.Extensions.Options.Options.Create(new ApiOptions { RequireHttps = false, SessionLookupsPerSecond = lookupsPerSecond });
        var store = new SessionStore(databases, harness.Clock, options);
        return (store, new ChangeFeed(databases, harness.Clock, [store]));
    }

    /// <summary>Well-formed tokens an attacker can make: random hex in the token's shape, without the key.</summary>
    private static string RandomToken()
    {
        var hex = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    [Fact]
    public async Task Forged_tokens_never_reach_the_database_and_a_session_opened_elsewhere_still_works_during_the_flood()
    {
        var sessionQueries = new SessionQueryCounter();
        var counted = new CountingFactory(harness.Database, sessionQueries);
        var (other, _) = OtherInstance(lookupsPerSecond: 5, databases: counted);
        await other.LoadAsync();
        var opened = await OpenSessionAsync(); // after the other instance started, so it must look it up
        var queriesAfterStart = sessionQueries.Count;

        // Far more forgeries in one second than the look-up budget allows.
        for (var i = 0; i < 2_000; i++)
            Assert.Equal(SessionLookup.Unknown, (await other.FindAsync(RandomToken(), harness.Clock.GetUtcNow().UtcDateTime)).Lookup);
        Assert.Equal(0, other.LookupCount);
        Assert.Equal(queriesAfterStart, sessionQueries.Count);

        var (lookup, session) = await other.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(SessionLookup.Live, lookup);
        Assert.Equal(opened.SessionId, session!.Id);
        Assert.Equal(1, other.LookupCount);
        Assert.Equal(queriesAfterStart + 1, sessionQueries.Count);
    }

    [Fact]
    public async Task Every_instance_signs_with_the_one_key_made_in_the_database()
    {
        var (first, _) = OtherInstance();
        var (second, _) = OtherInstance();
        var keys = await Task.WhenAll(first.GetTokenKeyAsync(), second.GetTokenKeyAsync(), harness.Sessions.GetTokenKeyAsync());

        var token = SessionToken.New(keys[0]);
        Assert.All(keys, key => Assert.True(SessionToken.IsSignedBy(token, key)));
        Assert.True(SessionToken.IsSignedBy(token.ToLowerInvariant(), keys[1]));
        Assert.False(SessionToken.IsSignedBy(token[..^1] + (token[^1] == '0' ? '1' : '0'), keys[1]));
        Assert.False(SessionToken.IsSignedBy(token, new SessionTokenKey(RandomNumberGenerator.GetBytes(32))));
        await using var db = harness.Database.CreateContext();
        Assert.Equal(1, await db.SharedSecrets.CountAsync());
    }

    [Fact]
    public async Task A_signed_token_the_database_does_not_know_is_looked_up_once()
    {
        var (other, _) = OtherInstance();
        var swept = SessionToken.New(await other.GetTokenKeyAsync());

        for (var i = 0; i < 5; i++)
            Assert.Equal(SessionLookup.Unknown, (await other.FindAsync(swept, harness.Clock.GetUtcNow().UtcDateTime)).Lookup);

        Assert.Equal(1, other.LookupCount);
    }

    [Fact]
    public async Task A_token_made_before_tokens_were_signed_still_works_where_it_was_loaded_at_start()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var keyPairId = keys.KeyPairId;
        var oldToken = RandomToken();
        await using (var db = harness.Database.CreateContext())
        {
            var now = harness.Clock.GetUtcNow().UtcDateTime;
            db.Sessions.Add(new Session { ApplicationId = applicationId, KeyPairId = keyPairId, TokenHash = SessionToken.HashHex(oldToken), View = "default", CreatedAt = now, ExpiresAt = now + Session.Lifetime });
            await db.SaveChangesAsync();
        }

        var (restarted, _) = OtherInstance();
        await restarted.LoadAsync();
        Assert.Equal(SessionLookup.Live, (await restarted.FindAsync(oldToken, harness.Clock.GetUtcNow().UtcDateTime)).Lookup);

        // An instance that did not load it refuses it like a forgery (documented: at most 2 hours after an upgrade).
        var (notLoaded, _) = OtherInstance();
        Assert.Equal(SessionLookup.Unknown, (await notLoaded.FindAsync(oldToken, harness.Clock.GetUtcNow().UtcDateTime)).Lookup);
        Assert.Equal(0, notLoaded.LookupCount);
    }

    /// <summary>Counts the commands that read the Sessions table.</summary>
    private sealed class SessionQueryCounter : DbCommandInterceptor
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("\"Sessions\"", StringComparison.Ordinal)) Interlocked.Increment(ref _count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private sealed class CountingFactory(TestDatabase database, SessionQueryCounter counter) : IDbContextFactory<ControlPanelDbContext>
    {
        public ControlPanelDbContext CreateDbContext()
        {
            var builder = new DbContextOptionsBuilder<ControlPanelDbContext>();
            DatabaseSetup.Configure(builder, database.Options);
            builder.AddInterceptors(counter);
            return new ControlPanelDbContext(builder.Options);
        }
    }

    private async Task<SessionService.Opened> OpenSessionAsync()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AddViewAsync(applicationId, "support desk");
        return (await harness.SessionService.OpenAsync(await harness.Check.CheckAsync(CheckHarness.With(keys)))).Session!;
    }

    [Fact]
    public async Task A_session_opened_elsewhere_is_looked_up_on_first_use_then_held()
    {
        var opened = await OpenSessionAsync();
        var (other, _) = OtherInstance();

        var (lookup, session) = await other.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime);

        Assert.Equal(SessionLookup.Live, lookup);
        Assert.Equal(opened.SessionId, session!.Id);
        Assert.Equal(1, other.Count);
        Assert.Same(session, (await other.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime)).Session);
    }

    [Fact]
    public async Task Lookups_of_tokens_not_held_stop_at_the_budget_for_the_second()
    {
        var opened = await OpenSessionAsync();
        var (other, _) = OtherInstance(lookupsPerSecond: 2);

        // Signed tokens nobody holds: only such tokens reach the database, so only they spend the budget.
        var key = await harness.Sessions.GetTokenKeyAsync();
        Assert.Equal(SessionLookup.Unknown, (await other.FindAsync(SessionToken.New(key), harness.Clock.GetUtcNow().UtcDateTime)).Lookup);
        Assert.Equal(SessionLookup.Unknown, (await other.FindAsync(SessionToken.New(key), harness.Clock.GetUtcNow().UtcDateTime)).Lookup);
        Assert.Equal(SessionLookup.Unknown, (await other.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime)).Lookup); // over budget
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SessionLookup.Live, (await other.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime)).Lookup);
    }

    [Fact]
    public async Task A_view_changed_on_one_instance_is_seen_on_the_other()
    {
        var opened = await OpenSessionAsync();
        var (other, otherChanges) = OtherInstance();
        await otherChanges.StartAsync();
        var (_, held) = await other.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime);

        Assert.True(await harness.SessionService.ChangeViewAsync(opened.SessionId, "support desk"));
        await otherChanges.CatchUpAsync();

        Assert.Equal("support desk", held!.View);
    }
}
