using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// The history table's rows stored once (calls per application, environment and day, by outcome), so staff's history of
/// every account over a year is paged without folding 700,000 day rows on every page; filled from the day rows already stored.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201000500_UsageApplicationDays")]
public sealed class UsageApplicationDays : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "UsageApplicationDays",
            columns: table => new
            {
                ApplicationId = table.Column<Guid>(nullable: false),
                Day = table.Column<DateOnly>(nullable: false),
                Environment = table.Column<string>(maxLength: 20, nullable: false),
                Allowed = table.Column<long>(nullable: false),
                RateLimited = table.Column<long>(nullable: false),
                OverQuota = table.Column<long>(nullable: false),
                BadOrigin = table.Column<long>(nullable: false),
                BadKeys = table.Column<long>(nullable: false),
                Other = table.Column<long>(nullable: false),
                Total = table.Column<long>(nullable: false),
                Counted = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_UsageApplicationDays", x => new { x.ApplicationId, x.Day, x.Environment }));
        migrationBuilder.CreateIndex(name: "IX_UsageApplicationDays_Day", table: "UsageApplicationDays", column: "Day");
        migrationBuilder.Sql(FoldDaysSql);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("UsageApplicationDays");

    /// <summary>The outcome codes as they were when this migration was written: 0 allowed, 158, 103, 111, 204.</summary>
    private const string FoldDaysSql = """
        INSERT INTO "UsageApplicationDays"
            ("ApplicationId", "Day", "Environment", "Allowed", "RateLimited", "OverQuota", "BadOrigin", "BadKeys", "Other", "Total", "Counted")
        SELECT "ApplicationId", "Day", "Environment",
            SUM(CASE WHEN "Outcome" = 0 THEN "Calls" ELSE 0 END),
            SUM(CASE WHEN "Outcome" = 158 THEN "Calls" ELSE 0 END),
            SUM(CASE WHEN "Outcome" = 103 THEN "Calls" ELSE 0 END),
            SUM(CASE WHEN "Outcome" = 111 THEN "Calls" ELSE 0 END),
            SUM(CASE WHEN "Outcome" = 204 THEN "Calls" ELSE 0 END),
            SUM(CASE WHEN "Outcome" NOT IN (0, 158, 103, 111, 204) THEN "Calls" ELSE 0 END),
            SUM("Calls"),
            SUM(CASE WHEN "Outcome" = 0 AND "Counted" THEN "Calls" ELSE 0 END)
        FROM "UsageDays"
        GROUP BY "ApplicationId", "Day", "Environment"
        """;
}
