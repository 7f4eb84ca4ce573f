using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// When a staff invitation link was issued, so the staff page can show when each pending invitation expires
/// and the accept page can tell an expired link from a replaced one.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201000100_StaffInvitationSentAt")]
public sealed class StaffInvitationSentAt : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<DateTime>(name: "InvitationSentAt", table: "AspNetUsers", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "InvitationSentAt", table: "AspNetUsers");
}
