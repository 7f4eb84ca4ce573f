using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Domain.Data.Migrations
{
    /// <summary>
    /// Idempotency-Key answers for any management write, not only rotations: the request is kept as a hash instead of the
    /// rotation's application and grace. The rows kept from before get an empty hash, which matches no request: their keys
    /// stay taken (no second rotation) until they expire within the idempotency window.
    /// </summary>
    [DbContext(typeof(ControlPanelDbContext))]
    [Migration("20261207090000_IdempotentRequests")]
    public partial class IdempotentRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IdempotentRequests",
                columns: table => new
                {
                    AccessTokenId = table.Column<Guid>(nullable: false),
                    KeyHash = table.Column<string>(maxLength: 64, nullable: false),
                    RequestHash = table.Column<string>(maxLength: 64, nullable: false),
                    ProtectedAnswer = table.Column<string>(nullable: true),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    ExpiresAt = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotentRequests", x => new { x.AccessTokenId, x.KeyHash });
                    table.ForeignKey(
                        name: "FK_IdempotentRequests_AccessTokens_AccessTokenId",
                        column: x => x.AccessTokenId,
                        principalTable: "AccessTokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotentRequests_ExpiresAt",
                table: "IdempotentRequests",
                column: "ExpiresAt");

            // Quoted names work on both providers.
            migrationBuilder.Sql("""
                INSERT INTO "IdempotentRequests" ("AccessTokenId", "KeyHash", "RequestHash", "ProtectedAnswer", "CreatedAt", "ExpiresAt")
                SELECT "AccessTokenId", "KeyHash", '', "ProtectedAnswer", "CreatedAt", "ExpiresAt" FROM "IdempotentRotations";
                """);

            migrationBuilder.DropTable(
                name: "IdempotentRotations");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The kept answers are not carried back: a rotation's application and grace cannot be read from a hash.
            migrationBuilder.DropTable(
                name: "IdempotentRequests");

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
                    ExpiresAt = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotentRotations", x => new { x.AccessTokenId, x.KeyHash });
                    table.ForeignKey(
                        name: "FK_IdempotentRotations_AccessTokens_AccessTokenId",
                        column: x => x.AccessTokenId,
                        principalTable: "AccessTokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotentRotations_ExpiresAt",
                table: "IdempotentRotations",
                column: "ExpiresAt");
        }
    }
}
