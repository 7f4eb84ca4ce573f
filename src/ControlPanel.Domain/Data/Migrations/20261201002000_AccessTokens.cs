using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// Access tokens for the management API (only their SHA-256 and last four characters), deleted with their user;
/// and the answers of rotations made with an Idempotency-Key, kept encrypted for a short window.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201002000_AccessTokens")]
public sealed class AccessTokens : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "AccessTokens",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserId = table.Column<string>(maxLength: 450, nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                Scope = table.Column<string>(maxLength: 20, nullable: false),
                TokenHash = table.Column<string>(maxLength: 64, nullable: false),
                Last4 = table.Column<string>(maxLength: 4, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: true),
                LastUsedAt = table.Column<DateTime>(nullable: true),
                RevokedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_AccessTokens", x => x.Id);
                table.ForeignKey("FK_AccessTokens_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_AccessTokens_TokenHash", table: "AccessTokens", column: "TokenHash", unique: true);
        migrationBuilder.CreateIndex(name: "IX_AccessTokens_UserId", table: "AccessTokens", column: "UserId");

        migrationBuilder.CreateTable(
            name: "IdempotentRotations",
            columns: table => new
            {
                AccessTokenId = table.Column<Guid>(nullable: false),
                KeyHash = table.Column<string>(maxLength: 64, nullable: false),
                ApplicationId = table.Column<Guid>(nullable: false),
                Grace = table.Column<string>(maxLength: 20, nullable: false),
                ProtectedAnswer = table.Column<string>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_IdempotentRotations", x => new { x.AccessTokenId, x.KeyHash });
                table.ForeignKey("FK_IdempotentRotations_AccessTokens_AccessTokenId", x => x.AccessTokenId, "AccessTokens", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_IdempotentRotations_ExpiresAt", table: "IdempotentRotations", column: "ExpiresAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("IdempotentRotations");
        migrationBuilder.DropTable("AccessTokens");
    }
}
