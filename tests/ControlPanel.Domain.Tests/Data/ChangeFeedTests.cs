using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.Extensions.DependencyInjection;

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
        var (directoryA, directoryB) = (new Recorder(ChangeTopic.Directory), new Recorder(ChangeTopic.Directory));
        var (a, b) = (new ChangeFeed(database.Factory, clock, [directoryA]), new ChangeFeed(database.Factory, clock, [directoryB]));
        await a.StartAsync();
        await b.StartAsync();
        directoryA.Applied.Clear();
        directoryB.Applied.Clear();

        await a.PublishAsync();
        await a.PublishAsync();

        Assert.Equal(2, directoryA.Applied.Count); // applied before publishing returns
        Assert.Equal(2, await b.CatchUpAsync());
        Assert.Single(directoryB.Applied); // one reload covers both
        Assert.Equal(0, await b.CatchUpAsync());
        Assert.Equal(0, await a.CatchUpAsync()); // its own changes are not applied twice
        Assert.Equal(2, directoryA.Applied.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Session_changes_reach_the_other_instance_with_their_subject(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var (directoryB, sessionsB) = (new Recorder(ChangeTopic.Directory), new Recorder(ChangeTopic.Session));
        var (a, b) = (new ChangeFeed(database.Factory, clock, []), new ChangeFeed(database.Factory, clock, [directoryB, sessionsB]));
        await b.StartAsync();
        directoryB.Applied.Clear();
        var sessionId = Guid.NewGuid();

        await a.PublishAsync(ChangeTopic.Session, sessionId);
        await b.CatchUpAsync();

        Assert.Equal([sessionId], sessionsB.Applied);
        Assert.Empty(directoryB.Applied); // only the change's own topic follows it
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Old_changes_are_removed_and_not_applied_again(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var directoryB = new Recorder(ChangeTopic.Directory);
        var (a, b) = (new ChangeFeed(database.Factory, clock, []), new ChangeFeed(database.Factory, clock, [directoryB]));
        await b.StartAsync();
        await a.PublishAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        await b.CatchUpAsync();

        clock.Advance(ChangeFeed.Retention);
        Assert.Equal(1, await a.RemoveOldAsync());
        Assert.Equal(0, await b.CatchUpAsync());
        Assert.Equal(2, directoryB.Applied.Count); // the start, and the change
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_following_instance_applies_changes_without_being_asked(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var sessionsB = new Recorder(ChangeTopic.Session);
        var (a, b) = (new ChangeFeed(database.Factory, TimeProvider.System, []), new ChangeFeed(database.Factory, TimeProvider.System, [sessionsB]));
        var applied = sessionsB.FirstApplied;
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
        await using var instanceA = TestDomain.Build(database, clock, services => services.AddSingleton<ChangeNotifier>(notifier));
        await using var instanceB = TestDomain.Build(database, clock);
        var (changesA, indexA, keysA, applicationsA) = (instanceA.GetRequiredService<ChangeFeed>(), instanceA.GetRequiredService<KeyIndex>(),
            instanceA.GetRequiredService<KeyService>(), instanceA.GetRequiredService<ApplicationService>());
        var (changesB, indexB) = (instanceB.GetRequiredService<ChangeFeed>(), instanceB.GetRequiredService<KeyIndex>());
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

    /// <summary>Records the changes the feed gives it.</summary>
    private sealed class Recorder(ChangeTopic topic) : IChangeSubscriber
    {
        public ChangeTopic Topic => topic;
        public List<Guid?> Applied { get; } = [];
        public TaskCompletionSource FirstApplied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken)
        {
            lock (Applied) Applied.Add(subjectId);
            FirstApplied.TrySetResult();
            return Task.CompletedTask;
        }
    }

    /// <summary>Stands for a crash or a lost connection between a commit and its notification.</summary>
    private sealed class FailingNotifier : ChangeNotifier
    {
        public bool Fails { get; set; }

        public override Task NotifyAsync(ControlPanelDbContext db, CancellationToken cancellationToken) =>
            Fails ? throw new IOException("The connection broke after the commit.") : base.NotifyAsync(db, cancellationToken);
    }
}
