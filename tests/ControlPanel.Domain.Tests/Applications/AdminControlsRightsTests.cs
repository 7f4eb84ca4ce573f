using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Tests.Requests;

namespace ControlPanel.Domain.Tests.Applications;

/// <summary>Only an Admin, and not a read-only token acting for one, changes limits, quotas, status and locks.</summary>
public sealed class AdminControlsRightsTests : IAsyncLifetime
{
    private CheckHarness harness = default!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string> Refused => new() { "read-only admin", "support", "owner", "system" };

    private static Viewer As(string who, Guid accountId) => who switch
    {
        "read-only admin" => CheckHarness.Admin with { ReadOnly = true },
        "support" => new Viewer("support-1", "Sam Support", Roles.Support, null),
        "owner" => new Viewer("owner-1", "Olivia Owner", Roles.Owner, accountId),
        _ => Viewer.System("Webhook delivery"),
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Everyone_but_an_admin_is_refused_and_nothing_changes(string who)
    {
        var (accountId, applicationId, _) = await harness.CreateApplicationAsync();
        var viewer = As(who, accountId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.AdminControls.SetQuotaAsync(viewer, applicationId, 5, 0));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.AdminControls.SetRateLimitsAsync(viewer, applicationId, 1, 1));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.AdminControls.SetOnlineAsync(viewer, applicationId, false));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.AdminControls.SetAccountLockedAsync(viewer, accountId, true, "Unpaid invoices"));

        var state = harness.Applications.Find(applicationId)!;
        Assert.True(state.IsOnline);
        Assert.False(state.AccountLocked);
        Assert.NotEqual(5, state.MonthlyQuota);
        Assert.NotEqual(1, state.ApplicationRateLimit);
    }

    [Fact]
    public async Task An_admin_changes_them()
    {
        var (accountId, applicationId, _) = await harness.CreateApplicationAsync();

        await harness.AdminControls.SetOnlineAsync(CheckHarness.Admin, applicationId, false);
        await harness.AdminControls.SetAccountLockedAsync(CheckHarness.Admin, accountId, true, "Unpaid invoices");

        var state = harness.Applications.Find(applicationId)!;
        Assert.False(state.IsOnline);
        Assert.True(state.AccountLocked);
    }

    [Fact]
    public void The_control_panel_as_an_actor_reads_and_changes_nothing()
    {
        var system = Viewer.System("Webhook delivery");
        var anyAccount = Guid.NewGuid();

        Assert.False(system.IsStaff || system.IsOwner || system.CanAdminister);
        Assert.False(system.CanRead(anyAccount));
        Assert.False(system.CanChange(anyAccount));
        Assert.Throws<AccessDeniedException>(() => AccountScope.VisibleAccount(system));
    }
}
