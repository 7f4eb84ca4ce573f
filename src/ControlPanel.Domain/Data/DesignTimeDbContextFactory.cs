using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ControlPanel.Domain.Data;

/// <summary>
/// What `dotnet ef` builds the context with, without starting the app: the default provider, SQLite, whose model
/// the snapshot in Data/Migrations records. Adding a migration opens no database.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ControlPanelDbContext>
{
    public ControlPanelDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ControlPanelDbContext>();
        DatabaseSetup.Configure(builder, new DatabaseOptions());
        return new ControlPanelDbContext(builder.Options);
    }
}
