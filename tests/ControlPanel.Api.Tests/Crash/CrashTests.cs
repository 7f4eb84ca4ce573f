using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ControlPanel.Api.Tests.Cluster;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using ControlPanel.Web.Background;
using ControlPanel.Web.Usage;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using TestApplication = ControlPanel.Api.Tests.ControlPanelFactory.TestApplication;

namespace ControlPanel.Api.Tests.Crash;

/// <summary>
/// The app killed with SIGKILL in the middle of key checks, webhook intake, session openings and
/// configuration changes, then started again on the same database: nothing saved is lost, every
/// accepted webhook event is still delivered, and only the usage gathered since the last completed
/// flush is missing (docs/operations.md, "What a crash loses").
/// </summary>
/// <remarks>
/// Configuration changes are made the way the UI makes them, through the domain services, here in the
/// test process over the app's database (as the cluster tests do): the app follows them through the
/// change log. The app's own writes under load are the webhook outbox, sessions, usage and last-used times.
/// </remarks>
[Collection(CrashCollection.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private static readonly Viewer Admin = AppCluster.Admin;

    /// <summary>SQLite always (most installations); PostgreSQL too when a test server is named.</summary>
    public static TheoryData<DatabaseProvider> Providers =>
        TestPostgres.Server is null ? [DatabaseProvider.Sqlite] : [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    private sealed class OneInstance(DatabaseProvider provider) : AppCluster(1, new Dictionary<string, string>(ClusterCollection.WebhookSettings)
    {
        // A delivery whose attempt the kill cut off is taken up again when its lease (2 x Timeout + 5 s) runs out.
        ["Webhooks:Timeout"] = "00:00:02",
    }, provider);

    private const int CheckWorkers = 6;
    private const int ChurnApplications = 3;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_kill_under_load_loses_nothing_saved_no_accepted_event_and_only_the_unflushed_usage(DatabaseProvider provider)
    {
        var app = new OneInstance(provider);
        await app.InitializeAsync();
        try
        {
            await using var receiver = await TestReceiver.StartAsync();
            await RunAsync(app, receiver);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private async Task RunAsync(AppCluster app, TestReceiver receiver)
    {
        // The application under load: no per-address limit in the way of many calls from the test's one address.
        var load = await app.CreateApplicationAsync();
        await app.UseAsync<AdminControls>(admin => admin.SetRateLimitsAsync(Admin, load.Id, Application.MaxRateLimit, Application.MaxRateLimit));
        var endpointId = await app.CreateEndpointAsync(load, receiver.Url);
        var churn = new List<Churned>();
        for (var i = 0; i < ChurnApplications; i++)
        {
            var created = await app.UseAsync<ApplicationService, ApplicationService.Created>(applications => applications.CreateAsync(Admin,
                new ApplicationService.Form { Name = $"Churn {i}", Environment = ApplicationEnvironment.Live, AccountId = load.AccountId }));
            churn.Add(new Churned(created.Application.Id) { Name = created.Application.Name, Keys = created.Keys });
        }
        await app.WaitUntilEveryInstanceSeesAsync(load, answer => answer.Valid && answer.RateLimit.Limit == Application.MaxRateLimit);

        var run = new LoadRun(app, load, output);
        // On the thread pool: SQLite calls complete synchronously, so a loop of them would never give the test's thread back.
        var workers = new List<Task>();
        for (var i = 0; i < CheckWorkers; i++) workers.Add(Task.Run(run.ChecksAsync));
        workers.Add(Task.Run(run.EventsAsync));
        workers.Add(Task.Run(run.SessionsAsync));
        workers.Add(Task.Run(() => ChangeConfigurationAsync(app, churn, run)));
        workers.Add(Task.Run(run.WatchUsageAsync));

        // Under load until the usage flush has been seen committing a few times and every kind of work has been acknowledged.
        await Eventually.TrueAsync(async () =>
        {
            if (workers.FirstOrDefault(w => w.IsFaulted) is { } failed) await failed;
            return run.ReadyForTheKill(churn);
        }, () => $"the load to get going: {run.Describe(churn)}\n{app.Output}", TimeSpan.FromSeconds(120));

        var victim = app.Instances[0];
        // From here a call that fails is one the kill cut off; the workers keep calling until one fails, so calls are in flight.
        run.ExpectTheKill();
        await victim.KillAsync();
        // Killed by SIGKILL (128 + 9), not stopped: no shutdown flush, no attempts handed back.
        Assert.Equal(137, victim.ExitCode);
        await Task.WhenAll(workers);

        await app.RestartAsync(0);
        var client = app.Clients[0];

        // Usage, read before any new call is counted: everything the flusher was seen committing is there,
        // and nothing is counted twice.
        var persisted = await CountedUsageAsync(app, load.Id);
        run.AssertUsage(persisted);
        // So is the key pair's last use during the load (written with the usage, every interval).
        await using (var db = await app.DatabasesAsync())
            Assert.True((await db.KeyPairs.SingleAsync(p => p.Id == load.Keys.KeyPairId)).LastUsedAt > run.StartedAt);

        // Every configuration change acknowledged before the kill is stored, and in force in the restarted app.
        foreach (var changed in churn)
        {
            var details = await app.UseAsync<ApplicationService, ApplicationService.Details>(applications => applications.GetAsync(Admin, changed.Id));
            Assert.Equal(changed.Name, details.Application.Name);
            var allowlist = await app.UseAsync<AllowlistService, AllowlistService.Stored>(allowlists => allowlists.GetAsync(Admin, changed.Id));
            Assert.Equal(changed.Origins, allowlist.Lines);
            Assert.Empty(allowlist.Unreadable);
            using (var current = CheckFrom(changed.Keys, changed.Origins[0]))
                Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(current)).StatusCode);
            // Revocations stay revoked (the last ones: each round revoked one).
            foreach (var revoked in changed.Revoked.TakeLast(2))
            {
                using var old = CheckFrom(revoked, changed.Origins[0]);
                await (await client.SendAsync(old)).AssertErrorAsync(HttpStatusCode.Forbidden, 204);
            }
        }

        // Every session the app opened (answered 201) before the kill still works.
        foreach (var token in run.Sessions)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/check").Bearer(token);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }

        // Every event the intake accepted (202) before the kill reaches the receiver after the restart, as does any it
        // stored whose answer the kill cut off. Delivery is at least once (docs/webhooks.md): an attempt the kill cut off is made
        // again under the same number, so a receiver may see a Webhook-Id twice.
        List<Guid> stored;
        await using (var db = await app.DatabasesAsync())
            stored = await db.WebhookEvents.Where(e => e.ApplicationId == load.Id && e.Name == WebhookEvents.ChatEnded).Select(e => e.Id).ToListAsync();
        Assert.Subset(stored.ToHashSet(), run.AcceptedEvents.ToHashSet());
        var outcome = await ClusterWebhooks.WaitUntilFinishedAsync(app, endpointId, stored.Count, TimeSpan.FromSeconds(90));
        ClusterWebhooks.AssertEachEventDeliveredOnce(outcome, stored);
        var received = receiver.Requests.Select(r => r.Id).ToHashSet();
        Assert.All(outcome.Deliveries, delivery => Assert.Contains(delivery.Id.ToString(), received));

        // And the restarted app answers a good call.
        using (var good = ApiRequests.Check(load))
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(good)).StatusCode);

        output.WriteLine($"{run.AcceptedEvents.Count} accepted events delivered ({stored.Count} stored, {receiver.Requests.Count} receipts); " +
            $"{run.Sessions.Count} sessions and {churn.Sum(c => c.Rounds)} configuration rounds on {churn.Count} applications kept.");
    }

    /// <summary>An application whose name, allowlist and keys change round after round; what was last acknowledged.</summary>
    private sealed class Churned(Guid id)
    {
        public Guid Id { get; } = id;
        public required string Name { get; set; }
        public IReadOnlyList<string> Origins { get; set; } = [];
        public required IssuedKeys Keys { get; set; }
        public List<IssuedKeys> Revoked { get; } = [];
        public int Rounds { get; set; }
    }

    /// <summary>
    /// Renames, replaces the allowlist of and rotates the keys of each application in turn, recording each
    /// change once it returned (acknowledged). Runs in the test process, so it finishes the change in hand after the kill.
    /// </summary>
    private static async Task ChangeConfigurationAsync(AppCluster app, List<Churned> churn, LoadRun run)
    {
        for (var round = 1; !run.Killed; round++)
        {
            foreach (var changed in churn)
            {
                var name = $"Churn {changed.Id.ToString("N")[..6]} round {round}";
                var form = ApplicationService.Form.From((await app.UseAsync<ApplicationService, ApplicationService.Details>(
                    applications => applications.GetAsync(Admin, changed.Id))).Application);
                form.Name = name;
                await app.UseAsync<ApplicationService, Application>(applications => applications.UpdateAsync(Admin, changed.Id, form));
                changed.Name = name;

                var saved = await app.UseAsync<AllowlistService, AllowlistService.SaveResult>(allowlists =>
                    allowlists.SaveAsync(Admin, changed.Id, $"https://round{round}.example\nhttps://*.round{round}.example"));
                Assert.True(saved.Saved, string.Join("; ", saved.Errors.Select(e => e.Message)));
                changed.Origins = saved.Entries;

                var keys = await app.UseAsync<KeyService, IssuedKeys>(service => service.RotateAsync(Admin, changed.Id, RotationGrace.Immediately));
                changed.Revoked.Add(changed.Keys);
                changed.Keys = keys;
                changed.Rounds = round;
            }
            await Task.Delay(50);
        }
    }

    private static HttpRequestMessage CheckFrom(IssuedKeys keys, string origin) =>
        ApiRequests.Check(KeyStyle.Headers, keys.ApplicationKey, keys.ConsumerKey).Header("Origin", origin);

    /// <summary>The application's allowed calls counted towards its quota, as stored.</summary>
    private static async Task<long> CountedUsageAsync(AppCluster app, Guid applicationId)
    {
        await using var db = await app.DatabasesAsync();
        return await db.UsageMinutes.Where(u => u.ApplicationId == applicationId && u.Outcome == 0 && u.Counted).SumAsync(u => u.Calls);
    }

    /// <summary>
    /// The calls made against the running app, and what the test saw of them: when each counted call was
    /// answered allowed, which events and sessions were acknowledged, and what the stored usage was over time.
    /// </summary>
    private sealed class LoadRun(AppCluster app, TestApplication load, ITestOutputHelper output)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        /// <summary>When the load began (UTC, the app's clock too).</summary>
        public DateTime StartedAt { get; } = DateTime.UtcNow;
        private readonly ConcurrentQueue<TimeSpan> _allowed = new();
        private readonly ConcurrentQueue<Guid> _events = new();
        private readonly ConcurrentQueue<string> _sessions = new();
        private readonly List<(TimeSpan Began, long Total)> _observed = [];
        private long _sent;
        private volatile bool _killed;
        private TimeSpan _killedAt;

        public bool Killed => _killed;
        public IReadOnlyCollection<Guid> AcceptedEvents => [.. _events];
        public IReadOnlyCollection<string> Sessions => [.. _sessions];

        public void ExpectTheKill()
        {
            _killedAt = _clock.Elapsed;
            _killed = true;
        }

        /// <summary>Enough of everything before the kill: several flushes seen committed, events, sessions and configuration rounds.</summary>
        public bool ReadyForTheKill(List<Churned> churn)
        {
            lock (_observed) if (Increases().Count < 4) return false;
            return _events.Count >= 20 && _sessions.Count >= 5 && churn.All(c => c.Rounds >= 2);
        }

        public string Describe(List<Churned> churn)
        {
            lock (_observed)
                return $"{Increases().Count} flushes seen, {_allowed.Count} allowed calls, {_events.Count} events, {_sessions.Count} sessions, " +
                    $"{churn.Min(c => c.Rounds)} configuration rounds";
        }

        /// <summary>Checks with the load application's keys, one after the other, until the kill cuts one off.</summary>
        public async Task ChecksAsync()
        {
            // Until the kill refuses a call: calls are in flight when it comes.
            while (true)
            {
                using var request = ApiRequests.Check(load);
                using var response = await SendCountedAsync(request);
                if (response is null) return;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                _allowed.Enqueue(_clock.Elapsed);
            }
        }

        /// <summary>The platform's events through the intake (counted calls too), a few a second.</summary>
        public async Task EventsAsync()
        {
            for (var i = 0; ; i++)
            {
                using var request = ApiRequests.Check(load, path: "/api/v1/webhooks/events").WithMethod(HttpMethod.Post);
                request.Content = JsonContent.Create(new { event_name = WebhookEvents.ChatEnded, data = new { chat_id = $"crash-{i}" } });
                using var response = await SendCountedAsync(request);
                if (response is null) return;
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var answered = _clock.Elapsed;
                if (await ReadOrKilledAsync(response, "event_id") is not { } id) return;
                _events.Enqueue(Guid.Parse(id));
                _allowed.Enqueue(answered);
                await Task.Delay(50);
            }
        }

        /// <summary>Sessions opened now and then (metered, not counted towards the quota).</summary>
        public async Task SessionsAsync()
        {
            while (true)
            {
                using var request = ApiRequests.Check(load, path: "/api/v1/session").WithMethod(HttpMethod.Post);
                using (var response = await SendAsync(request))
                {
                    if (response is null) return;
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    if (await ReadOrKilledAsync(response, "token") is not { } token) return;
                    _sessions.Enqueue(token);
                }
                // Well under the 300 sessions an application may open a minute (Api:SessionsPerApplicationPerMinute).
                await Task.Delay(500);
            }
        }

        /// <summary>Reads the stored usage over and over until the kill, noting when each read began.</summary>
        public async Task WatchUsageAsync()
        {
            while (!_killed)
            {
                var began = _clock.Elapsed;
                var total = await CountedUsageAsync(app, load.Id);
                lock (_observed) _observed.Add((began, total));
                await Task.Delay(50);
            }
        }

        /// <summary>A counted call; null when the kill cut it off (then it may or may not have been counted).</summary>
        private Task<HttpResponseMessage?> SendCountedAsync(HttpRequestMessage request)
        {
            Interlocked.Increment(ref _sent);
            return SendAsync(request);
        }

        /// <summary>The answer; null when the kill cut the call off.</summary>
        private async Task<HttpResponseMessage?> SendAsync(HttpRequestMessage request)
        {
            try
            {
                return await app.Clients[0].SendAsync(request);
            }
            catch (Exception e) when (_killed && e is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }

        /// <summary>A string property of the answer's JSON body; null when the kill cut the body off (not acknowledged then).</summary>
        private async Task<string?> ReadOrKilledAsync(HttpResponseMessage response, string property)
        {
            try
            {
                return (await response.ReadJsonAsync()).GetProperty(property).ToString();
            }
            catch (Exception) when (_killed)
            {
                return null;
            }
        }

        /// <summary>Indexes of the observations that saw the stored total grow: each is a flush committed since the read before.</summary>
        private List<int> Increases() => [.. Enumerable.Range(1, Math.Max(0, _observed.Count - 1)).Where(i => _observed[i].Total > _observed[i - 1].Total)];

        /// <summary>
        /// What the stored usage must be after the kill. The flusher writes every <see cref="InMemoryStateFlusher.Interval"/>, one flush
        /// after the other, each taking the counts gathered since the one before; a crash loses the counts since the last flush
        /// that completed (those of a flush in progress included). The test cannot see when a flush took its counts, only when
        /// its commit showed up in a read, so it bounds the loss by what it saw: take the second-to-last growth it saw. That flush
        /// committed after the read before it began (B); the last growth seen is a later flush, which took its counts after the
        /// earlier one committed, so after B. So every call answered allowed before B (and counted before it was answered) must be
        /// stored: that is the assertion, with no assumption about timing. Calls answered after B may be lost; with a flush a
        /// second, that window is about one interval plus the flush in progress and the reads' spacing (written to the output).
        /// Nothing may be counted twice either: at most every counted call sent (those the kill cut off may have been counted).
        /// </summary>
        public void AssertUsage(long persisted)
        {
            List<(TimeSpan Began, long Total)> observed;
            lock (_observed) observed = [.. _observed];
            var increases = Increases();
            var provenBefore = observed[increases[^2] - 1].Began;
            var answered = _allowed.ToList();
            var answeredBefore = answered.Count(at => at < provenBefore);
            var window = _killedAt - provenBefore;
            var answeredInWindow = answered.Count(at => at >= provenBefore);

            output.WriteLine($"{answered.Count} counted calls answered allowed, {Volatile.Read(ref _sent)} sent; {persisted} stored after the kill " +
                $"({answered.Count - persisted} lost). Flush interval {InMemoryStateFlusher.Interval.TotalSeconds:0.#} s; the last {window.TotalSeconds:0.00} s " +
                $"before the kill ({answeredInWindow} calls, {answeredInWindow / Math.Max(window.TotalSeconds, 0.001):0} a second) may be lost, " +
                $"{answeredBefore} calls before it must be stored; {increases.Count} flushes seen committing.");
            Assert.True(persisted >= answeredBefore, $"{persisted} calls stored, but {answeredBefore} were answered before a flush seen committing.");
            Assert.True(persisted <= Volatile.Read(ref _sent), $"{persisted} calls stored, more than the {_sent} sent.");
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashCollection
{
    public const string Name = "crash";
}
