using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Usage;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// One account as staff see it on its page: lock state and reason, members and invitations, applications with this month's
/// use and webhook endpoints (the page shows the account's audit entries with the audit table). Each part comes from its own
/// service with the staff viewer, so each service's rules hold here too.
/// </summary>
public sealed class AccountOverview(
    IDbContextFactory<ControlPanelDbContext> databases, AccountMembers members, MemberInvitations invitations, ApplicationService applications,
    WebhookEndpointService endpoints, UsageReports usage)
{
    public sealed record Overview(
        Account Account, IReadOnlyList<AccountMembers.Member> Members, IReadOnlyList<MemberInvitations.Pending> Invitations,
        IReadOnlyList<ApplicationService.Summary> Applications, UsageReports.QuotaMonth Usage, IReadOnlyList<WebhookEndpointService.Summary> Endpoints);

    /// <summary>The account's page, for Admin and Support only; to anyone else (and for an unknown id) the account does not exist.</summary>
    public async Task<Overview> GetAsync(Viewer viewer, Guid accountId)
    {
        if (!viewer.IsStaff) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId) ?? throw new AccessDeniedException();
        return new Overview(
            account,
            await members.ListAsync(viewer, accountId),
            await invitations.PendingAsync(viewer, accountId),
            await applications.ListAsync(viewer, accountId),
            await usage.QuotaMonthAsync(viewer, new UsageReports.Filter(AccountId: accountId)),
            await endpoints.ListAsync(viewer, accountId));
    }
}
