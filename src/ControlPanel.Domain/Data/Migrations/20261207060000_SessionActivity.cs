using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Domain.Data.Migrations
{
    /// <summary>
    /// Sessions' activity: where each was opened from and whether an owner or admin ended it, its view changes, and its calls
    /// per minute by resource and outcome. Sessions are now kept for Sessions:ActivityRetentionDays, so the tab lists them
    /// newest first per application.
    /// </summary>
    [DbContext(typeof(ControlPanelDbContext))]
    [Migration("20261207060000_SessionActivity")]
    public partial class SessionActivity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_ApplicationId",
                table: "Sessions");

            migrationBuilder.AddColumn<DateTime>(
                name: "EndedAt",
                table: "Sessions",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EndedBy",
                table: "Sessions",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OpenedFrom",
                table: "Sessions",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "SessionActivity",
                columns: table => new
                {
                    SessionId = table.Column<Guid>(nullable: false),
                    Minute = table.Column<DateTime>(nullable: false),
                    ResourceId = table.Column<Guid>(nullable: false),
                    Outcome = table.Column<int>(nullable: false),
                    Calls = table.Column<long>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionActivity", x => new { x.SessionId, x.Minute, x.ResourceId, x.Outcome });
                });

            migrationBuilder.CreateTable(
                name: "SessionViewChanges",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SessionId = table.Column<Guid>(nullable: false),
                    At = table.Column<DateTime>(nullable: false),
                    FromView = table.Column<string>(maxLength: 100, nullable: false),
                    ToView = table.Column<string>(maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionViewChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SessionViewChanges_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_ApplicationId_CreatedAt",
                table: "Sessions",
                columns: new[] { "ApplicationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SessionActivity_Minute",
                table: "SessionActivity",
                column: "Minute");

            migrationBuilder.CreateIndex(
                name: "IX_SessionViewChanges_At",
                table: "SessionViewChanges",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_SessionViewChanges_SessionId_At",
                table: "SessionViewChanges",
                columns: new[] { "SessionId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SessionActivity");

            migrationBuilder.DropTable(
                name: "SessionViewChanges");

            migrationBuilder.DropIndex(
                name: "IX_Sessions_ApplicationId_CreatedAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "EndedAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "EndedBy",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "OpenedFrom",
                table: "Sessions");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_ApplicationId",
                table: "Sessions",
                column: "ApplicationId");
        }
    }
}
