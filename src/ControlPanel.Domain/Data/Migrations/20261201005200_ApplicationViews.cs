using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// Each application's list of views (name, description). Existing applications start with their default view, and with every
/// view a stored session is on, so no session is left on a view the list does not have.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201005200_ApplicationViews")]
public sealed class ApplicationViews : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ApplicationViews",
            columns: table => new
            {
                ApplicationId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                Description = table.Column<string>(maxLength: 200, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                CreatedBy = table.Column<string>(maxLength: 256, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ApplicationViews", x => new { x.ApplicationId, x.Name });
                table.ForeignKey("FK_ApplicationViews_Applications_ApplicationId", x => x.ApplicationId, "Applications", "Id", onDelete: ReferentialAction.Cascade);
            });

        // Plain SQL that SQLite and PostgreSQL both read.
        migrationBuilder.Sql("""
            INSERT INTO "ApplicationViews" ("ApplicationId", "Name", "Description", "CreatedAt", "CreatedBy")
            SELECT "Id", "DefaultView", '', "CreatedAt", "CreatedBy" FROM "Applications";
            """);
        migrationBuilder.Sql("""
            INSERT INTO "ApplicationViews" ("ApplicationId", "Name", "Description", "CreatedAt", "CreatedBy")
            SELECT s."ApplicationId", s."View", '', MIN(s."CreatedAt"), 'a session (before view lists)'
            FROM "Sessions" s
            WHERE NOT EXISTS (SELECT 1 FROM "ApplicationViews" v WHERE v."ApplicationId" = s."ApplicationId" AND v."Name" = s."View")
            GROUP BY s."ApplicationId", s."View";
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "ApplicationViews");
}
