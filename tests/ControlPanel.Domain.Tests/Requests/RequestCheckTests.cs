using System.ComponentModel.DataAnnotations;
using System.Net;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Requests;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Requests;

public sealed class RequestCheckTests : IAsyncLifetime
{
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();
    public Task DisposeAsync() { harness.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Valid_keys_are_allowed_with_the_application_limit_and_quota_state()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync(ApplicationEnvironment.Live);

        var decision = await harness.Check.CheckAsync(CheckHarness.With(keys) with { ClientIp = IPAddress.Parse("203.0.113.9") });

        Assert.True(decision.Allowed);
        Assert.Equal(applicationId, decision.ApplicationId);
        Assert.Equal(keys.KeyPairId, decision.KeyPairId);
        Assert.Equal(ApplicationEnvironment.Live, decision.Environment);
        Assert.Equal(100, decision.RateLimit.Limit);
        Assert.Equal(99, decision.RateLimit.Remaining);
        Assert.Equal(1, decision.Quota!.Value.Used);
        Assert.Equal(1_000_000, decision.Quota.Value.Quota);
    }

    [Fact]
    public async Task Https_is_required_when_configured()
    {
        using var strict = await CheckHarness.CreateAsync(new ApiOptions { RequireHttps = true });
        var (_, _, keys) = await strict.CreateApplicationAsync();

        Assert.Equal(101, (await strict.Check.CheckAsync(CheckHarness.With(keys) with { IsHttps = false })).Error?.Code);
        Assert.True((await strict.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
    }

    [Fact]
    public async Task Missing_and_malformed_credentials_have_their_own_codes()
    {
        var (_, _, keys) = await harness.CreateApplicationAsync();
        Assert.Equal(201, (await harness.Check.CheckAsync(new CheckRequest { ConsumerKey = keys.ConsumerKey })).Error?.Code);
        Assert.Equal(201, (await harness.Check.CheckAsync(new CheckRequest())).Error?.Code);
        Assert.Equal(202, (await harness.Check.CheckAsync(new CheckRequest { ApplicationKey = keys.ApplicationKey })).Error?.Code);
        Assert.Equal(102, (await harness.Check.CheckAsync(CheckHarness.With(keys) with { ApplicationKey = "zz" + keys.ApplicationKey[2..] })).Error?.Code);
        Assert.Equal(102, (await harness.Check.CheckAsync(CheckHarness.With(keys) with { ConsumerKey = keys.ConsumerKey + "0" })).Error?.Code);
        Assert.Equal(102, (await harness.Check.CheckAsync(CheckHarness.With(keys) with { MalformedCredentials = true })).Error?.Code);
    }

    [Fact]
    public async Task Unknown_swapped_and_revoked_keys_answer_204_without_saying_which()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var other = await harness.CreateApplicationAsync(name: "Other");

        var unknown = await harness.Check.CheckAsync(CheckHarness.With(keys) with { ConsumerKey = new string('a', 32) });
        var mixed = await harness.Check.CheckAsync(CheckHarness.With(keys) with { ConsumerKey = other.Keys.ConsumerKey });
        Assert.Equal(204, unknown.Error?.Code);
        Assert.Equal(204, mixed.Error?.Code);
        Assert.Equal("", unknown.ExtraInfo);

        await harness.KeyService.RevokeAsync(CheckHarness.Admin, applicationId, keys.KeyPairId);
        Assert.Equal(204, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);
    }

    [Fact]
    public async Task Account_lock_and_offline_status_take_effect_at_once()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();

        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, false);
        Assert.Equal(110, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);

        await harness.AdminControls.SetAccountLockedAsync(CheckHarness.Admin, accountId, true, "Unpaid invoices");
        Assert.Equal(225, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);

        await harness.AdminControls.SetAccountLockedAsync(CheckHarness.Admin, accountId, false, "Unpaid invoices");
        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, true);
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
    }

    [Fact]
    public async Task An_owner_cannot_bring_back_online_an_application_an_Admin_suspended_and_sees_why()
    {
        var (accountId, applicationId, keys) = await harness.CreateApplicationAsync();
        var owner = new Viewer("owner-1", "Olive Owner", Roles.Owner, accountId);
        ApplicationService.Form Form(bool online) => new() { Name = "Storefront", Environment = ApplicationEnvironment.Live, IsOnline = online };

        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, false, "Unpaid invoice");
        Assert.Equal(110, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => harness.ApplicationService.UpdateAsync(owner, applicationId, Form(online: true)));
        Assert.Contains("Suspended by an Admin: Unpaid invoice", refused.Message);
        Assert.Equal(110, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);
        await using (var db = harness.Database.CreateContext())
        {
            var stored = await db.Applications.SingleAsync(a => a.Id == applicationId);
            Assert.False(stored.IsOnline);
            Assert.True(stored.SuspendedByAdmin);
            Assert.Equal("Unpaid invoice", stored.SuspensionReason);
        }

        // Once the Admin lifts it, it is the owner's again: taken offline by the owner, the owner brings it back (110 meanwhile).
        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, true);
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
        await harness.ApplicationService.UpdateAsync(owner, applicationId, Form(online: false));
        Assert.Equal(110, (await harness.Check.CheckAsync(CheckHarness.With(keys))).Error?.Code);
        await harness.ApplicationService.UpdateAsync(owner, applicationId, Form(online: true));
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
    }

    [Fact]
    public async Task The_origin_allowlist_admits_listed_origins_and_addresses_only()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var saved = await harness.Allowlists.SaveAsync(CheckHarness.Admin, applicationId, "https://*.example.com\n198.51.100.0/24\n2001:db8::/32");
        Assert.True(saved.Saved);

        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys) with { Origin = "https://shop.example.com" })).Allowed);
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys) with { ClientIp = IPAddress.Parse("198.51.100.77") })).Allowed);
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys) with { ClientIp = IPAddress.Parse("2001:db8::1") })).Allowed);
        var refused = await harness.Check.CheckAsync(CheckHarness.With(keys) with { Origin = "https://example.org", ClientIp = IPAddress.Parse("192.0.2.1") });
        Assert.Equal(111, refused.Error?.Code);
        // Refused before the limiter: nothing was counted in the caller's window.
        Assert.Equal(refused.RateLimit.Limit, refused.RateLimit.Remaining);
    }

    [Fact]
    public async Task Invalid_allowlist_lines_are_reported_and_nothing_is_saved()
    {
        var (_, applicationId, _) = await harness.CreateApplicationAsync();
        var result = await harness.Allowlists.SaveAsync(CheckHarness.Admin, applicationId, "https://ok.example.com\nnot a host\n10.0.0.0/33");

        Assert.False(result.Saved);
        Assert.Equal([2, 3], result.Errors.Select(e => e.LineNumber));
        Assert.Empty((await harness.Allowlists.GetAsync(CheckHarness.Admin, applicationId)).Lines);
    }

    [Theory]
    [InlineData("not a host")]
    [InlineData("https://shop.example.com\n10.0.0.0/33")]
    public async Task A_stored_allowlist_line_that_no_longer_parses_refuses_every_call_with_111(string stored)
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        // As if the rules had tightened since the list was saved, or the row was edited by hand.
        await using (var db = harness.Database.CreateContext())
            await db.Applications.Where(a => a.Id == applicationId).ExecuteUpdateAsync(set => set.SetProperty(a => a.AllowedOrigins, stored));
        await harness.Changes.PublishAsync();

        foreach (var request in new[]
        {
            CheckHarness.With(keys),
            CheckHarness.With(keys) with { Origin = "https://shop.example.com" },
            CheckHarness.With(keys) with { ClientIp = IPAddress.Parse("10.0.0.1") },
        })
        {
            var refused = await harness.Check.CheckAsync(request);
            Assert.Equal(111, refused.Error?.Code);
        }
        var unreadable = Assert.Single((await harness.Allowlists.GetAsync(CheckHarness.Admin, applicationId)).Unreadable);
        Assert.Equal(stored.Split('\n')[^1], unreadable.Text);
    }

    [Fact]
    public async Task Over_the_rate_limit_answers_158_with_the_seed_wording()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AdminControls.SetRateLimitsAsync(CheckHarness.Admin, applicationId, 3, null);
        var request = CheckHarness.With(keys) with { ClientIp = IPAddress.Parse("203.0.113.1") };

        for (var i = 0; i < 3; i++) Assert.True((await harness.Check.CheckAsync(request)).Allowed);
        var refused = await harness.Check.CheckAsync(request);

        Assert.Equal(158, refused.Error?.Code);
        Assert.Equal("The one-minute API limit of 3 requests has been exceeded. Please wait 60 seconds before attempting again. You are currently being throttled.", refused.ExtraInfo);
        Assert.Equal(0, refused.RateLimit.Remaining);
        // Another client address has its own window.
        Assert.True((await harness.Check.CheckAsync(request with { ClientIp = IPAddress.Parse("203.0.113.2") })).Allowed);
        // The next minute starts again.
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await harness.Check.CheckAsync(request)).Allowed);
    }

    [Fact]
    public async Task The_quota_allows_the_overrun_allowance_then_answers_103_and_uncounted_calls_pass()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        await harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 2, 1);

        for (var i = 0; i < 3; i++) Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys))).Allowed);
        var refused = await harness.Check.CheckAsync(CheckHarness.With(keys));
        Assert.Equal(103, refused.Error?.Code);
        Assert.Contains("overrun allowance of 1", refused.ExtraInfo);
        Assert.True((await harness.Check.CheckAsync(CheckHarness.With(keys) with { Counted = false })).Allowed);
    }

    [Fact]
    public async Task Admin_controls_reject_bad_values_and_non_admins()
    {
        var (_, applicationId, _) = await harness.CreateApplicationAsync();
        await Assert.ThrowsAsync<ValidationException>(() => harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, -1, 0));
        await Assert.ThrowsAsync<ValidationException>(() => harness.AdminControls.SetQuotaAsync(CheckHarness.Admin, applicationId, 10, -5));
        await Assert.ThrowsAsync<ValidationException>(() => harness.AdminControls.SetRateLimitsAsync(CheckHarness.Admin, applicationId, 0, null));
        await Assert.ThrowsAsync<ValidationException>(() => harness.AdminControls.SetRateLimitsAsync(CheckHarness.Admin, applicationId, null, 1_000_001));
        var support = new ControlPanel.Domain.Accounts.Viewer("s", "Sam", ControlPanel.Domain.Accounts.Roles.Support, null);
        await Assert.ThrowsAsync<ControlPanel.Domain.Accounts.AccessDeniedException>(() => harness.AdminControls.SetQuotaAsync(support, applicationId, 5, 0));
    }

    [Fact]
    public async Task Sessions_use_per_user_limits_and_expire_after_two_hours()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync(ApplicationEnvironment.Staging);
        var opened = (await harness.SessionService.OpenAsync(await harness.Check.CheckAsync(CheckHarness.With(keys)))).Session!;

        var withToken = new CheckRequest { SessionToken = opened.Token, IsHttps = true, SessionRequired = true };
        var allowed = await harness.Check.CheckAsync(withToken);
        Assert.True(allowed.Allowed);
        Assert.Equal(600, allowed.RateLimit.Limit);
        Assert.Equal(opened.SessionId, allowed.Session!.Id);
        Assert.True((await harness.Check.CheckAsync(withToken with { ApplicationKey = keys.ApplicationKey, ConsumerKey = keys.ConsumerKey })).Allowed);

        Assert.Equal(114, (await harness.Check.CheckAsync(withToken with { SessionToken = Guid.NewGuid().ToString().ToUpperInvariant() })).Error?.Code);
        Assert.Equal(114, (await harness.Check.CheckAsync(withToken with { SessionToken = "tampered" })).Error?.Code);
        Assert.Equal(194, (await harness.Check.CheckAsync(CheckHarness.With(keys) with { SessionRequired = true })).Error?.Code);
        Assert.Equal(194, (await harness.Check.CheckAsync(withToken with { SessionToken = "" })).Error?.Code);

        harness.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(113, (await harness.Check.CheckAsync(withToken)).Error?.Code);
    }

    [Fact]
    public async Task Sessions_survive_a_restart_and_end_with_their_keys()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var opened = (await harness.SessionService.OpenAsync(await harness.Check.CheckAsync(CheckHarness.With(keys)))).Session!;
        await harness.AddViewAsync(applicationId, "support desk");
        Assert.True(await harness.SessionService.ChangeViewAsync(opened.SessionId, "support desk"));
        Assert.False(await harness.SessionService.ChangeViewAsync(opened.SessionId, "<script>"));

        var restarted = new ControlPanel.Domain.Sessions.SessionStore(harness.Databases, harness.Clock, Microsoft.Extensions.Options.Options.Create(harness.Options));
        await restarted.LoadAsync();
        var (lookup, session) = await restarted.FindAsync(opened.Token, harness.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(ControlPanel.Domain.Sessions.SessionLookup.Live, lookup);
        Assert.Equal("support desk", session!.View);
        await using (var db = harness.Database.CreateContext())
            Assert.DoesNotContain(db.Sessions, s => s.TokenHash.Contains(opened.Token, StringComparison.OrdinalIgnoreCase));

        await harness.KeyService.RevokeAsync(CheckHarness.Admin, applicationId, keys.KeyPairId);
        Assert.Equal(204, (await harness.Check.CheckAsync(new CheckRequest { SessionToken = opened.Token, IsHttps = true })).Error?.Code);
    }

    [Fact]
    public async Task Every_decision_is_metered_and_key_use_recorded()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync(ApplicationEnvironment.Development);
        await harness.Check.CheckAsync(CheckHarness.With(keys));
        await harness.Check.CheckAsync(CheckHarness.With(keys) with { Counted = false });
        await harness.Check.CheckAsync(new CheckRequest());

        var pending = harness.Usage.Pending();
        Assert.Equal(1, pending.Single(p => p.Key.ApplicationId == applicationId && p.Key.Counted).Value);
        Assert.Equal(1, pending.Single(p => p.Key.ApplicationId == applicationId && !p.Key.Counted).Value);
        Assert.Equal(1, pending.Single(p => p.Key.Outcome == 201 && p.Key.ApplicationId == Guid.Empty).Value);

        await harness.Keys.FlushUsesAsync();
        await using var db = harness.Database.CreateContext();
        Assert.NotNull(db.KeyPairs.Single(p => p.Id == keys.KeyPairId).LastUsedAt);
    }
}
