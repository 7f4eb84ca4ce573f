using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Origins;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Data;

/// <summary>
/// A change of one application or account reaches every instance as that change alone (not a reload of the whole
/// directory), and is applied once on the instance that made it.
/// </summary>
public class IncrementalChangeTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_rotation_reaches_the_other_instance_as_a_change_of_its_application_alone(DatabaseProvider provider)
    {
        await using var cluster = await Cluster.CreateAsync(provider);
        var created = await cluster.CreateApplicationAsync();
        await cluster.B.Changes.CatchUpAsync();
        cluster.B.Recorder.Applied.Clear();

        var rotated = await cluster.A.Keys.RotateAsync(cluster.Owner, created.Application.Id, RotationGrace.Immediately);
        Assert.Equal(1, await cluster.B.Changes.CatchUpAsync());

        Assert.Equal([(ChangeTopic.Application, created.Application.Id)], cluster.B.Recorder.Applied);
        var now = cluster.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(rotated.KeyPairId, cluster.B.Index.Find(rotated.ApplicationKey, rotated.ConsumerKey, now)?.KeyPairId);
        Assert.Null(cluster.B.Index.Find(created.Keys.ApplicationKey, created.Keys.ConsumerKey, now));
        Assert.Null(cluster.B.Index.FindById(created.Keys.KeyPairId, now));
        Assert.Equal(1, cluster.B.Index.Count); // the ended pair left the index
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_change_made_here_is_applied_once_when_the_log_is_read_between_its_commit_and_its_apply(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var recorder = new Recorder();
        var notifier = new ReadingNotifier();
        var feed = new ChangeFeed(database.Factory, clock, [recorder], notifier);
        notifier.Feed = feed;
        await feed.StartAsync();
        recorder.Applied.Clear();
        var applicationId = Guid.NewGuid();

        // The notifier reads the log right after the commit, as the follower may (a poll, or this instance's own NOTIFY).
        await feed.PublishAsync(ChangeTopic.Application, applicationId);

        Assert.Equal(0, notifier.Read);
        Assert.Equal([(ChangeTopic.Application, applicationId)], recorder.Applied);
        Assert.Equal(0, await feed.CatchUpAsync());
        Assert.Single(recorder.Applied);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_account_lock_reaches_each_application_of_the_account_on_the_other_instance(DatabaseProvider provider)
    {
        await using var cluster = await Cluster.CreateAsync(provider);
        var first = await cluster.CreateApplicationAsync("Storefront");
        var second = await cluster.CreateApplicationAsync("Backoffice");
        var elsewhere = await cluster.A.Applications.CreateAsync(cluster.OtherOwner, new ApplicationService.Form { Name = "Elsewhere" });
        await cluster.B.Changes.CatchUpAsync();
        cluster.B.Recorder.Applied.Clear();

        await cluster.A.Admin.SetAccountLockedAsync(cluster.AdminViewer, cluster.Owner.AccountId!.Value, true, "Unpaid invoices");
        await cluster.B.Changes.CatchUpAsync();

        Assert.Equal([(ChangeTopic.Account, cluster.Owner.AccountId)], cluster.B.Recorder.Applied);
        Assert.True(cluster.B.Directory.Find(first.Application.Id)!.AccountLocked);
        Assert.True(cluster.B.Directory.Find(second.Application.Id)!.AccountLocked);
        Assert.False(cluster.B.Directory.Find(elsewhere.Application.Id)!.AccountLocked);
        Assert.Equal(3, cluster.B.Directory.Count);
        // Applications with only their default view share one set of views, not one each.
        Assert.Same(cluster.B.Directory.Find(first.Application.Id)!.Views, cluster.B.Directory.Find(second.Application.Id)!.Views);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_allowlist_change_updates_the_browser_origins_of_the_other_instance(DatabaseProvider provider)
    {
        await using var cluster = await Cluster.CreateAsync(provider);
        var created = await cluster.CreateApplicationAsync();
        var allowlists = cluster.A.Services.GetRequiredService<AllowlistService>();

        await allowlists.SaveAsync(cluster.Owner, created.Application.Id, "https://shop.example\n192.0.2.0/24");
        await cluster.B.Changes.CatchUpAsync();
        Assert.True(cluster.B.Directory.AdmitsBrowserOrigin("https://shop.example"));
        Assert.False(cluster.B.Directory.Find(created.Application.Id)!.Origins.IsEmpty);

        await allowlists.SaveAsync(cluster.Owner, created.Application.Id, "");
        await cluster.B.Changes.CatchUpAsync();
        Assert.False(cluster.B.Directory.AdmitsBrowserOrigin("https://shop.example"));
        Assert.Same(OriginAllowlist.Empty, cluster.B.Directory.Find(created.Application.Id)!.Origins); // shared, not one each
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_instance_that_did_not_read_the_log_for_longer_than_changes_are_kept_reloads_whole(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(TestClock.Start);
        var recorder = new Recorder();
        var (a, b) = (new ChangeFeed(database.Factory, clock, []), new ChangeFeed(database.Factory, clock, [recorder]));
        await b.StartAsync();
        recorder.Applied.Clear();

        clock.Advance(ChangeFeed.Retention + TimeSpan.FromMinutes(1));
        var applicationId = Guid.NewGuid();
        await a.PublishAsync(ChangeTopic.Application, applicationId);
        await b.CatchUpAsync();

        // Changes it missed may have been removed, so the single change is not enough.
        Assert.Equal([(ChangeTopic.Directory, (Guid?)null)], recorder.Applied);
    }

    [Fact]
    public void A_read_applies_each_thing_once_and_its_own_topics_in_order()
    {
        var (app, account, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var plan = ChangeFeed.Plan(
            [Change(ChangeTopic.Application, app), Change(ChangeTopic.Session, session), Change(ChangeTopic.Application, app), Change(ChangeTopic.Account, account)],
            fellBehind: false);

        Assert.Equal([(ChangeTopic.Application, app), (ChangeTopic.Session, session), (ChangeTopic.Account, account)], plan);
    }

    [Fact]
    public void A_whole_directory_change_covers_the_single_ones_of_the_same_read()
    {
        var (app, session) = (Guid.NewGuid(), Guid.NewGuid());
        var plan = ChangeFeed.Plan(
            [Change(ChangeTopic.Application, app), Change(ChangeTopic.Directory, null), Change(ChangeTopic.Session, session), Change(ChangeTopic.Directory, null)],
            fellBehind: false);

        Assert.Equal([(ChangeTopic.Directory, null), (ChangeTopic.Session, session)], plan);
    }

    [Fact]
    public void More_single_changes_than_a_whole_reload_costs_become_one_whole_reload()
    {
        var changes = Enumerable.Range(0, ChangeFeed.MostSingleChanges + 1).Select(_ => Change(ChangeTopic.Application, Guid.NewGuid())).ToList();

        Assert.Equal([(ChangeTopic.Directory, null)], ChangeFeed.Plan(changes, fellBehind: false));
        Assert.Equal(ChangeFeed.MostSingleChanges, ChangeFeed.Plan(changes[1..], fellBehind: false).Count);
    }

    private static Change Change(ChangeTopic topic, Guid? subjectId) => new() { Topic = topic, SubjectId = subjectId };

    /// <summary>Two instances (their own services and change feeds) over one database, as the host wires them.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly TestDatabase _database;

        private Cluster(TestDatabase database, Account acme, Account other)
        {
            _database = database;
            A = new Instance(database, Clock);
            B = new Instance(database, Clock);
            Owner = new Viewer("owner-id", "Olivia Owner", Roles.Owner, acme.Id);
            OtherOwner = new Viewer("other-id", "Mallory", Roles.Owner, other.Id);
        }

        public FakeTimeProvider Clock { get; } = new(TestClock.Start);
        public Instance A { get; }
        public Instance B { get; }
        public Viewer Owner { get; }
        public Viewer OtherOwner { get; }
        public Viewer AdminViewer { get; } = new("admin-id", "Ada Admin", Roles.Admin, null);

        public static async Task<Cluster> CreateAsync(DatabaseProvider provider)
        {
            var database = await TestDatabase.CreateMigratedAsync(provider);
            var (acme, other) = (new Account { Name = "Acme" }, new Account { Name = "Other" });
            await using (var db = database.CreateContext())
            {
                db.Accounts.AddRange(acme, other);
                await db.SaveChangesAsync();
            }
            var cluster = new Cluster(database, acme, other);
            await cluster.A.Changes.StartAsync();
            await cluster.B.Changes.StartAsync();
            return cluster;
        }

        public Task<ApplicationService.Created> CreateApplicationAsync(string name = "Storefront") =>
            A.Applications.CreateAsync(Owner, new ApplicationService.Form { Name = name });

        public async ValueTask DisposeAsync()
        {
            await A.Services.DisposeAsync();
            await B.Services.DisposeAsync();
            _database.Dispose();
        }
    }

    private sealed class Instance
    {
        public Instance(TestDatabase database, TimeProvider clock)
        {
            Services = TestDomain.Build(database, clock, services => services.AddSingleton<IChangeSubscriber>(Recorder));
            Changes = Services.GetRequiredService<ChangeFeed>();
            Index = Services.GetRequiredService<KeyIndex>();
            Directory = Services.GetRequiredService<ApplicationDirectory>();
            Keys = Services.GetRequiredService<KeyService>();
            Applications = Services.GetRequiredService<ApplicationService>();
            Admin = Services.GetRequiredService<AdminControls>();
        }

        public Recorder Recorder { get; } = new();
        public ServiceProvider Services { get; }
        public ChangeFeed Changes { get; }
        public KeyIndex Index { get; }
        public ApplicationDirectory Directory { get; }
        public KeyService Keys { get; }
        public ApplicationService Applications { get; }
        public AdminControls Admin { get; }
    }

    /// <summary>Records every change the feed gives it, of every topic.</summary>
    private sealed class Recorder : IChangeSubscriber
    {
        public List<(ChangeTopic, Guid?)> Applied { get; } = [];

        public ChangeTopic Topic => ChangeTopic.Directory;

        public bool Follows(ChangeTopic topic) => true;

        public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken) => ApplyChangeAsync(Topic, subjectId, cancellationToken);

        public Task ApplyChangeAsync(ChangeTopic topic, Guid? subjectId, CancellationToken cancellationToken)
        {
            lock (Applied) Applied.Add((topic, subjectId));
            return Task.CompletedTask;
        }
    }

    /// <summary>Reads the log right after each commit, before the change is applied here.</summary>
    private sealed class ReadingNotifier : ChangeNotifier
    {
        public ChangeFeed? Feed { get; set; }
        public int Read { get; private set; }

        public override async Task NotifyAsync(ControlPanelDbContext db, CancellationToken cancellationToken) =>
            Read += await Feed!.CatchUpAsync(cancellationToken);
    }
}
