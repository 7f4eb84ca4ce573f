using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// The key-validation API: origin allowlists, rate-limit overrides and quotas on applications;
/// sessions (token hashes only), per-minute usage and quota notifications.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261123000300_KeyValidation")]
public sealed class KeyValidation : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "AllowedOrigins", table: "Applications", nullable: false, defaultValue: "");
        migrationBuilder.AddColumn<int>(name: "ApplicationRateLimit", table: "Applications", nullable: true);
        migrationBuilder.AddColumn<int>(name: "PerUserRateLimit", table: "Applications", nullable: true);
        migrationBuilder.AddColumn<long>(name: "MonthlyQuota", table: "Applications", nullable: true);
        migrationBuilder.AddColumn<long>(name: "QuotaOverrunAllowance", table: "Applications", nullable: false, defaultValue: 0L);

        migrationBuilder.CreateTable(
            name: "Sessions",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                ApplicationId = table.Column<Guid>(nullable: false),
                KeyPairId = table.Column<Guid>(nullable: false),
                TokenHash = table.Column<string>(maxLength: 64, nullable: false),
                View = table.Column<string>(maxLength: 100, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Sessions", x => x.Id);
                table.ForeignKey("FK_Sessions_Applications_ApplicationId", x => x.ApplicationId, "Applications", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_Sessions_ApplicationId", table: "Sessions", column: "ApplicationId");
        migrationBuilder.CreateIndex(name: "IX_Sessions_ExpiresAt", table: "Sessions", column: "ExpiresAt");
        migrationBuilder.CreateIndex(name: "IX_Sessions_TokenHash", table: "Sessions", column: "TokenHash", unique: true);

        migrationBuilder.CreateTable(
            name: "UsageMinutes",
            columns: table => new
            {
                ApplicationId = table.Column<Guid>(nullable: false),
                Minute = table.Column<DateTime>(nullable: false),
                KeyPairId = table.Column<Guid>(nullable: false),
                Environment = table.Column<string>(maxLength: 20, nullable: false),
                Outcome = table.Column<int>(nullable: false),
                Counted = table.Column<bool>(nullable: false),
                Calls = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_UsageMinutes", x => new { x.ApplicationId, x.Minute, x.KeyPairId, x.Environment, x.Outcome, x.Counted }));
        migrationBuilder.CreateIndex(name: "IX_UsageMinutes_Minute", table: "UsageMinutes", column: "Minute");

        migrationBuilder.CreateTable(
            name: "QuotaNotifications",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                ApplicationId = table.Column<Guid>(nullable: false),
                AccountId = table.Column<Guid>(nullable: false),
                Month = table.Column<DateTime>(nullable: false),
                Kind = table.Column<string>(maxLength: 20, nullable: false),
                Percent = table.Column<int>(nullable: false),
                At = table.Column<DateTime>(nullable: false),
                Used = table.Column<long>(nullable: false),
                Quota = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_QuotaNotifications", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_QuotaNotifications_AccountId_At", table: "QuotaNotifications", columns: ["AccountId", "At"]);
        migrationBuilder.CreateIndex(name: "IX_QuotaNotifications_ApplicationId_Month_Kind_Percent", table: "QuotaNotifications", columns: ["ApplicationId", "Month", "Kind", "Percent"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("QuotaNotifications");
        migrationBuilder.DropTable("UsageMinutes");
        migrationBuilder.DropTable("Sessions");
        foreach (var column in new[] { "QuotaOverrunAllowance", "MonthlyQuota", "PerUserRateLimit", "ApplicationRateLimit", "AllowedOrigins" })
            migrationBuilder.DropColumn(name: column, table: "Applications");
    }
}
