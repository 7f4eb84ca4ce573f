using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// An Admin's "take offline" becomes a suspension the owner cannot lift, with the reason the owner sees.
/// Applications offline today stay offline and remain the owner's to bring back (no Admin suspension is assumed).
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201000300_AdminSuspension")]
public sealed class AdminSuspension : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(name: "SuspendedByAdmin", table: "Applications", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<string>(name: "SuspensionReason", table: "Applications", maxLength: 500, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "SuspensionReason", table: "Applications");
        migrationBuilder.DropColumn(name: "SuspendedByAdmin", table: "Applications");
    }
}
