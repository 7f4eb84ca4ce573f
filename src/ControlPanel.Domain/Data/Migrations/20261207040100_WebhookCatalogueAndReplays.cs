using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Domain.Data.Migrations
{
    /// <summary>
    /// The platform event types administrators add in the panel (name, description, schema, example, version), and replays:
    /// an owner's request to send an endpoint's events of a time range again, with the deliveries it queued marked for progress.
    /// </summary>
    [DbContext(typeof(ControlPanelDbContext))]
    [Migration("20261207040100_WebhookCatalogueAndReplays")]
    public partial class WebhookCatalogueAndReplays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ReplayId",
                table: "WebhookDeliveries",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "WebhookEventTypes",
                columns: table => new
                {
                    Name = table.Column<string>(maxLength: 64, nullable: false),
                    Description = table.Column<string>(maxLength: 300, nullable: false),
                    SchemaJson = table.Column<string>(maxLength: 20000, nullable: false),
                    ExampleJson = table.Column<string>(maxLength: 20000, nullable: false),
                    Version = table.Column<int>(nullable: false),
                    UpdatedAt = table.Column<DateTime>(nullable: false),
                    UpdatedBy = table.Column<string>(maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookEventTypes", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "WebhookReplays",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    EndpointId = table.Column<Guid>(nullable: false),
                    AccountId = table.Column<Guid>(nullable: false),
                    Since = table.Column<DateTime>(nullable: false),
                    Until = table.Column<DateTime>(nullable: true),
                    FailedOnly = table.Column<bool>(nullable: false),
                    Total = table.Column<int>(nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    CreatedBy = table.Column<string>(maxLength: 256, nullable: false),
                    CancelledAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookReplays", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WebhookReplays_WebhookEndpoints_EndpointId",
                        column: x => x.EndpointId,
                        principalTable: "WebhookEndpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_ReplayId",
                table: "WebhookDeliveries",
                column: "ReplayId");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookReplays_EndpointId_CreatedAt",
                table: "WebhookReplays",
                columns: new[] { "EndpointId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WebhookEventTypes");

            migrationBuilder.DropTable(
                name: "WebhookReplays");

            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_ReplayId",
                table: "WebhookDeliveries");

            migrationBuilder.DropColumn(
                name: "ReplayId",
                table: "WebhookDeliveries");
        }
    }
}
