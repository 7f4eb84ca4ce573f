using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;

namespace ControlPanel.Domain.Tests.Data;

/// <summary>Two instances over one database, each with its own <see cref="ChangeFeed"/>.</summary>
public class ChangeFeedTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_change_published_on_one_instance_is_applied_on_the_other_once(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var (a, b) = (new ChangeFeed(database.Factory, clock), new ChangeFeed(database.Factory, clock));
        var (reloadsA, reloadsB) = (0, 0);
        a.Subscribe(ChangeTopic.Directory, (_, _) => { reloadsA++; return Task.CompletedTask; });
        b.Subscribe(ChangeTopic.Directory, (_, _) => { reloadsB++; return Task.CompletedTask; });
        await a.StartAsync();
        await b.StartAsync();
        (reloadsA, reloadsB) = (0, 0);

        await a.PublishAsync();
        await a.PublishAsync();

        Assert.Equal(2, reloadsA); // applied before publishing returns
        Assert.Equal(2, await b.CatchUpAsync());
        Assert.Equal(1, reloadsB); // one reload covers both
        Assert.Equal(0, await b.CatchUpAsync());
        Assert.Equal(0, await a.CatchUpAsync()); // its own changes are not applied twice
        Assert.Equal(2, reloadsA);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Session_changes_reach_the_other_instance_with_their_subject(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var (a, b) = (new ChangeFeed(database.Factory, clock), new ChangeFeed(database.Factory, clock));
        var reloaded = new List<Guid?>();
        b.Subscribe(ChangeTopic.Session, (id, _) => { reloaded.Add(id); return Task.CompletedTask; });
        await b.StartAsync();
        var sessionId = Guid.NewGuid();

        await a.PublishAsync(ChangeTopic.Session, sessionId);
        await b.CatchUpAsync();

        Assert.Equal([sessionId], reloaded);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Old_changes_are_removed_and_not_applied_again(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var (a, b) = (new ChangeFeed(database.Factory, clock), new ChangeFeed(database.Factory, clock));
        var reloadsB = 0;
        b.Subscribe(ChangeTopic.Directory, (_, _) => { reloadsB++; return Task.CompletedTask; });
        await b.StartAsync();
        await a.PublishAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        await b.CatchUpAsync();

        clock.Advance(ChangeFeed.Retention);
        Assert.Equal(1, await a.RemoveOldAsync());
        Assert.Equal(0, await b.CatchUpAsync());
        Assert.Equal(2, reloadsB); // the start, and the change
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_following_instance_applies_changes_without_being_asked(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var (a, b) = (new ChangeFeed(database.Factory, TimeProvider.System), new ChangeFeed(database.Factory, TimeProvider.System));
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Subscribe(ChangeTopic.Session, (_, _) => { applied.TrySetResult(); return Task.CompletedTask; });
        await b.StartAsync();
        using var stop = new CancellationTokenSource();
        // On PostgreSQL the poll is far longer than the wait below, so only NOTIFY can wake it in time; SQLite polls.
        var poll = provider == DatabaseProvider.PostgreSql ? TimeSpan.FromMinutes(5) : TimeSpan.FromMilliseconds(100);
        var following = b.FollowAsync(poll, e => applied.TrySetException(e), stop.Token);

        await a.PublishAsync(ChangeTopic.Session, Guid.NewGuid());

        await applied.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await following;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_revocation_reaches_every_instance_when_the_step_after_its_commit_fails(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var account = new Account { Name = "Acme" };
        await using (var db = database.CreateContext())
        {
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
        }
        var owner = new Viewer("owner-id", "Olivia Owner", Roles.Owner, account.Id);
        var notifier = new FailingNotifier();
        // Instance A makes the changes; instance B only follows them, each with its own key index.
        var changesA = new ChangeFeed(database.Factory, clock, notifier);
        var indexA = new KeyIndex(database.Factory, clock, changesA);
        var keysA = new KeyService(database.Factory, changesA, clock);
        var applicationsA = new ApplicationService(database.Factory, keysA, changesA, clock);
        var changesB = new ChangeFeed(database.Factory, clock);
        var indexB = new KeyIndex(database.Factory, clock, changesB);
        await changesA.StartAsync();
        await changesB.StartAsync();
        var created = await applicationsA.CreateAsync(owner, new ApplicationService.Form { Name = "Storefront" });
        await changesB.CatchUpAsync();
        Assert.NotNull(indexB.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, clock.GetUtcNow().UtcDateTime));

        notifier.Fails = true;
        await Assert.ThrowsAsync<IOException>(() => keysA.RevokeAsync(owner, created.Application.Id, created.Keys.KeyPairId));
        // Committed, but neither told nor applied anywhere yet: the step after the commit never ran.
        Assert.NotNull(indexA.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, clock.GetUtcNow().UtcDateTime));

        // The next read of the log (what FollowAsync does every poll) applies it on both instances.
        Assert.Equal(1, await changesB.CatchUpAsync());
        Assert.Null(indexB.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, clock.GetUtcNow().UtcDateTime));
        Assert.Equal(1, await changesA.CatchUpAsync());
        Assert.Null(indexA.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Stands for a crash or a lost connection between a commit and its notification.</summary>
    private sealed class FailingNotifier : ChangeNotifier
    {
        public bool Fails { get; set; }

        public override Task NotifyAsync(ControlPanelDbContext db, CancellationToken cancellationToken) =>
            Fails ? throw new IOException("The connection broke after the commit.") : base.NotifyAsync(db, cancellationToken);
    }
}
