using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>Applications, their key pairs (hashes only) and the audit log.</summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261123000200_ApplicationsKeysAndAudit")]
public sealed class ApplicationsKeysAndAudit : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Applications",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                AccountId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 80, nullable: false),
                Environment = table.Column<string>(maxLength: 20, nullable: false),
                IsOnline = table.Column<bool>(nullable: false),
                DefaultView = table.Column<string>(maxLength: 100, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                CreatedBy = table.Column<string>(maxLength: 256, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Applications", x => x.Id);
                table.ForeignKey("FK_Applications_Accounts_AccountId", x => x.AccountId, "Accounts", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex(name: "IX_Applications_AccountId_Name", table: "Applications", columns: ["AccountId", "Name"]);

        migrationBuilder.CreateTable(
            name: "KeyPairs",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                ApplicationId = table.Column<Guid>(nullable: false),
                ApplicationKeyHash = table.Column<string>(maxLength: 64, nullable: false),
                ConsumerKeyHash = table.Column<string>(maxLength: 64, nullable: false),
                ApplicationKeyLast4 = table.Column<string>(maxLength: 4, nullable: false),
                ConsumerKeyLast4 = table.Column<string>(maxLength: 4, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                CreatedBy = table.Column<string>(maxLength: 256, nullable: false),
                LastUsedAt = table.Column<DateTime>(nullable: true),
                ExpiresAt = table.Column<DateTime>(nullable: true),
                RevokedAt = table.Column<DateTime>(nullable: true),
                RevokedBy = table.Column<string>(maxLength: 256, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_KeyPairs", x => x.Id);
                table.ForeignKey("FK_KeyPairs_Applications_ApplicationId", x => x.ApplicationId, "Applications", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_KeyPairs_ApplicationId", table: "KeyPairs", column: "ApplicationId");
        migrationBuilder.CreateIndex(name: "IX_KeyPairs_ApplicationKeyHash", table: "KeyPairs", column: "ApplicationKeyHash", unique: true);

        migrationBuilder.CreateTable(
            name: "AuditEntries",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                At = table.Column<DateTime>(nullable: false),
                ActorUserId = table.Column<string>(maxLength: 450, nullable: false),
                ActorName = table.Column<string>(maxLength: 256, nullable: false),
                AccountId = table.Column<Guid>(nullable: true),
                ApplicationId = table.Column<Guid>(nullable: true),
                Action = table.Column<string>(maxLength: 64, nullable: false),
                Changes = table.Column<string>(nullable: false),
                ClientIp = table.Column<string>(maxLength: 64, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_AuditEntries", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_AuditEntries_AccountId_At", table: "AuditEntries", columns: ["AccountId", "At"]);
        migrationBuilder.CreateIndex(name: "IX_AuditEntries_ApplicationId_At", table: "AuditEntries", columns: ["ApplicationId", "At"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("AuditEntries");
        migrationBuilder.DropTable("KeyPairs");
        migrationBuilder.DropTable("Applications");
    }
}
