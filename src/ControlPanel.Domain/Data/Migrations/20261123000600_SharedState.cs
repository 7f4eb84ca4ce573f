using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// What several instances share through the database: the change log they follow, the counters of
/// rate-limit windows and quota months they lease from, and the Data Protection key ring.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261123000600_SharedState")]
public sealed class SharedState : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Changes",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Topic = table.Column<string>(maxLength: 20, nullable: false),
                SubjectId = table.Column<Guid>(nullable: true),
                Origin = table.Column<Guid>(nullable: false),
                At = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Changes", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_Changes_At", table: "Changes", column: "At");

        migrationBuilder.CreateTable(
            name: "SharedCounters",
            columns: table => new
            {
                Key = table.Column<string>(maxLength: 200, nullable: false),
                Period = table.Column<DateTime>(nullable: false),
                Taken = table.Column<long>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SharedCounters", x => new { x.Key, x.Period }));
        migrationBuilder.CreateIndex(name: "IX_SharedCounters_ExpiresAt", table: "SharedCounters", column: "ExpiresAt");

        migrationBuilder.CreateTable(
            name: "DataProtectionKeys",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                FriendlyName = table.Column<string>(maxLength: 256, nullable: true),
                Xml = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_DataProtectionKeys", x => x.Id));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("DataProtectionKeys");
        migrationBuilder.DropTable("SharedCounters");
        migrationBuilder.DropTable("Changes");
    }
}
