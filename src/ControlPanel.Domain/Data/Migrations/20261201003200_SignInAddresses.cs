using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>The networks each user has signed in from, so a sign-in from a new one is mailed to them.</summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201003200_SignInAddresses")]
public sealed class SignInAddresses : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "KnownSignInAddresses",
            columns: table => new
            {
                UserId = table.Column<string>(maxLength: 450, nullable: false),
                Address = table.Column<string>(maxLength: 64, nullable: false),
                FirstSeenAt = table.Column<DateTime>(nullable: false),
                LastSeenAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_KnownSignInAddresses", x => new { x.UserId, x.Address });
                table.ForeignKey("FK_KnownSignInAddresses_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("KnownSignInAddresses");
}
