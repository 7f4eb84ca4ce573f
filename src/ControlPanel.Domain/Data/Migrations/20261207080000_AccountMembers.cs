using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Domain.Data.Migrations
{
    /// <summary>
    /// Members and roles per account: each existing account's one user becomes its Owner, so nothing changes for them; the
    /// account an access token was made in (the creator's own account for tokens made before), whose role it acts with; and
    /// invitations to join an account by email (only their link's SHA-256 kept).
    /// </summary>
    [DbContext(typeof(ControlPanelDbContext))]
    [Migration("20261207080000_AccountMembers")]
    public partial class AccountMembers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AccountId",
                table: "AccessTokens",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AccountMembers",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(nullable: false),
                    UserId = table.Column<string>(nullable: false),
                    Role = table.Column<string>(maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountMembers", x => new { x.AccountId, x.UserId });
                    table.ForeignKey(
                        name: "FK_AccountMembers_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AccountMembers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MemberInvitations",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    AccountId = table.Column<Guid>(nullable: false),
                    Email = table.Column<string>(maxLength: 256, nullable: false),
                    Role = table.Column<string>(maxLength: 20, nullable: false),
                    TokenHash = table.Column<string>(maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    SentAt = table.Column<DateTime>(nullable: false),
                    ExpiresAt = table.Column<DateTime>(nullable: false),
                    InvitedBy = table.Column<string>(maxLength: 256, nullable: false),
                    AcceptedAt = table.Column<DateTime>(nullable: true),
                    AcceptedByUserId = table.Column<string>(maxLength: 450, nullable: true),
                    RevokedAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberInvitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MemberInvitations_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessTokens_AccountId",
                table: "AccessTokens",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_AccountMembers_UserId",
                table: "AccountMembers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_MemberInvitations_AccountId",
                table: "MemberInvitations",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_MemberInvitations_TokenHash",
                table: "MemberInvitations",
                column: "TokenHash",
                unique: true);

            // Until now a customer was their one account's Owner: the same, as a member. Quoted names work on both providers.
            migrationBuilder.Sql("""
                INSERT INTO "AccountMembers" ("AccountId", "UserId", "Role", "CreatedAt")
                SELECT "AccountId", "Id", 'Owner', "CreatedAt" FROM "AspNetUsers" WHERE "AccountId" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "AccessTokens" SET "AccountId" =
                    (SELECT u."AccountId" FROM "AspNetUsers" u WHERE u."Id" = "AccessTokens"."UserId");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountMembers");

            migrationBuilder.DropTable(
                name: "MemberInvitations");

            migrationBuilder.DropIndex(
                name: "IX_AccessTokens_AccountId",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "AccountId",
                table: "AccessTokens");
        }
    }
}
