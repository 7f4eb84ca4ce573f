using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// The per-day usage rollup that reports read instead of minute rows, filled from the minute rows
/// already stored so history does not start empty on upgrade.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261123000500_UsageRollups")]
public sealed class UsageRollups : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "UsageDays",
            columns: table => new
            {
                ApplicationId = table.Column<Guid>(nullable: false),
                Day = table.Column<DateOnly>(nullable: false),
                Environment = table.Column<string>(maxLength: 20, nullable: false),
                Outcome = table.Column<int>(nullable: false),
                Counted = table.Column<bool>(nullable: false),
                Calls = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_UsageDays", x => new { x.ApplicationId, x.Day, x.Environment, x.Outcome, x.Counted }));
        migrationBuilder.CreateIndex(
            name: "IX_UsageDays_Day_Covering", table: "UsageDays",
            columns: ["Day", "ApplicationId", "Environment", "Outcome", "Counted", "Calls"]);

        // Minutes are stored as UTC: SQLite as ISO text ("yyyy-MM-dd HH:mm:ss"), PostgreSQL as timestamptz.
        var day = migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL"
            ? "(\"Minute\" AT TIME ZONE 'UTC')::date"
            : "substr(\"Minute\", 1, 10)";
        migrationBuilder.Sql($"""
            INSERT INTO "UsageDays" ("ApplicationId", "Day", "Environment", "Outcome", "Counted", "Calls")
            SELECT "ApplicationId", {day}, "Environment", "Outcome", "Counted", SUM("Calls")
            FROM "UsageMinutes"
            GROUP BY "ApplicationId", {day}, "Environment", "Outcome", "Counted"
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("UsageDays");
}
