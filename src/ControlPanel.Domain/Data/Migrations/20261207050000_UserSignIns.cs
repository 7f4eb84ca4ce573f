using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// Each browser's sign-in, which its cookie names: signing out ends it on the server and in the browser's other open tabs,
/// and a user's own password change keeps the sign-in they acted in while ending the others.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261207050000_UserSignIns")]
public sealed class UserSignIns : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "UserSignIns",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserId = table.Column<string>(maxLength: 450, nullable: false),
                SecurityStamp = table.Column<string>(maxLength: 256, nullable: false),
                StartedAt = table.Column<DateTime>(nullable: false),
                SeenAt = table.Column<DateTime>(nullable: false),
                EndedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_UserSignIns", x => x.Id);
                table.ForeignKey(
                    name: "FK_UserSignIns_AspNetUsers_UserId",
                    column: x => x.UserId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_UserSignIns_UserId", table: "UserSignIns", column: "UserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "UserSignIns");
    }
}
