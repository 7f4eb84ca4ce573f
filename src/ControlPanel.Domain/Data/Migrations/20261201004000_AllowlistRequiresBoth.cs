using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// The owner's choice whether a call must match both a URL and an IP entry when the allowlist has both kinds.
/// Existing applications keep today's rule (either kind admits).
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201004000_AllowlistRequiresBoth")]
public sealed class AllowlistRequiresBoth : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<bool>(name: "AllowlistRequiresBoth", table: "Applications", nullable: false, defaultValue: false);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "AllowlistRequiresBoth", table: "Applications");
}
