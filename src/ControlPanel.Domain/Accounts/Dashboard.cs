using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>The numbers on each role's landing page.</summary>
public sealed class Dashboard(IDbContextFactory<ControlPanelDbContext> databases)
{
    public sealed record OwnerSummary(string AccountName, bool AccountLocked);
    public sealed record StaffSummary(int Accounts, int LockedAccounts, int Owners);

    public async Task<OwnerSummary> ForOwnerAsync(Viewer viewer)
    {
        if (!viewer.IsOwner || viewer.AccountId is not { } accountId) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId) ?? throw new AccessDeniedException();
        return new OwnerSummary(account.Name, account.IsLocked);
    }

    public sealed record AccountChoice(Guid Id, string Name, bool IsLocked);

    /// <summary>Every account, for staff pickers and filters.</summary>
    public async Task<IReadOnlyList<AccountChoice>> AccountsAsync(Viewer viewer)
    {
        if (!viewer.IsStaff) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        return await db.Accounts.AsNoTracking().OrderBy(a => a.Name).Select(a => new AccountChoice(a.Id, a.Name, a.IsLocked)).ToListAsync();
    }

    public async Task<StaffSummary> ForStaffAsync(Viewer viewer)
    {
        if (!viewer.IsStaff) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        return new StaffSummary(
            await db.Accounts.CountAsync(),
            await db.Accounts.CountAsync(a => a.IsLocked),
            await db.Users.CountAsync(u => u.AccountId != null));
    }
}
