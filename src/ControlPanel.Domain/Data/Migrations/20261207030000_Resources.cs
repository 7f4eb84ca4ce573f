using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// The resource catalogue: methods and path patterns of the platform's API with their session, counting and limit rules.
/// Empty at first: every call is then the built-in default resource, which behaves as the check did before.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261207030000_Resources")]
public sealed class Resources : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Resources",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Method = table.Column<string>(maxLength: 10, nullable: false),
                Path = table.Column<string>(maxLength: 200, nullable: false),
                Description = table.Column<string>(maxLength: 200, nullable: false),
                SessionRequired = table.Column<bool>(nullable: false),
                Counted = table.Column<bool>(nullable: false),
                DevelopmentApplicationOnly = table.Column<int>(nullable: true),
                DevelopmentPerUser = table.Column<int>(nullable: true),
                StagingApplicationOnly = table.Column<int>(nullable: true),
                StagingPerUser = table.Column<int>(nullable: true),
                LiveApplicationOnly = table.Column<int>(nullable: true),
                LivePerUser = table.Column<int>(nullable: true),
                UpdatedAt = table.Column<DateTime>(nullable: false),
                UpdatedBy = table.Column<string>(maxLength: 256, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Resources", x => x.Id));
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Resources");
}
