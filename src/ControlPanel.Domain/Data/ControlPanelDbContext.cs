using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Data;

/// <summary>
/// The one database of the control panel. The schema is created and upgraded by the hand-written
/// migrations in Data/Migrations (the EF design-time package cannot be restored here); the test
/// MigrationsTests keeps them equal to this model.
/// </summary>
public class ControlPanelDbContext(DbContextOptions<ControlPanelDbContext> options)
    : IdentityDbContext<ControlPanelUser, IdentityRole, string>(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Account>(account =>
        {
            account.ToTable("Accounts");
            account.Property(a => a.Name).HasMaxLength(Account.NameMaxLength);
            account.HasIndex(a => a.Name);
        });

        builder.Entity<ControlPanelUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(ControlPanelUser.DisplayNameMaxLength);
            user.HasOne(u => u.Account).WithMany().HasForeignKey(u => u.AccountId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
