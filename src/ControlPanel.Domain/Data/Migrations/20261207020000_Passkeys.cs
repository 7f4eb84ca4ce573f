using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>Identity's passkeys (WebAuthn credentials): one row per credential, its data as JSON, gone with its user.</summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261207020000_Passkeys")]
public sealed class Passkeys : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // The model keeps Data as a JSON document: jsonb on PostgreSQL, text on SQLite.
        var json = migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL" ? "jsonb" : null;
        migrationBuilder.CreateTable(
            name: "AspNetUserPasskeys",
            columns: table => new
            {
                CredentialId = table.Column<byte[]>(maxLength: 1024, nullable: false),
                UserId = table.Column<string>(maxLength: 450, nullable: false),
                Data = table.Column<string>(type: json, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_AspNetUserPasskeys", x => x.CredentialId);
                table.ForeignKey("FK_AspNetUserPasskeys_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_AspNetUserPasskeys_UserId", "AspNetUserPasskeys", "UserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("AspNetUserPasskeys");
}
