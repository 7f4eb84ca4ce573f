using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Domain.Data.Migrations
{
    /// <summary>
    /// Calls per day by application, environment, resource and outcome: the usage pages split calls and refusals by resource
    /// from this rollup of its own, so the other rollups and their reports stay as they were. Empty at first: usage before it
    /// has no resource.
    /// </summary>
    [DbContext(typeof(ControlPanelDbContext))]
    [Migration("20261207060100_UsageByResource")]
    public partial class UsageByResource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageResourceDays",
                columns: table => new
                {
                    ApplicationId = table.Column<Guid>(nullable: false),
                    Day = table.Column<DateOnly>(nullable: false),
                    Environment = table.Column<string>(maxLength: 20, nullable: false),
                    ResourceId = table.Column<Guid>(nullable: false),
                    Outcome = table.Column<int>(nullable: false),
                    Calls = table.Column<long>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageResourceDays", x => new { x.ApplicationId, x.Day, x.Environment, x.ResourceId, x.Outcome });
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageResourceDays_Day_Covering",
                table: "UsageResourceDays",
                columns: new[] { "Day", "ApplicationId", "Environment", "ResourceId", "Outcome", "Calls" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageResourceDays");
        }
    }
}
