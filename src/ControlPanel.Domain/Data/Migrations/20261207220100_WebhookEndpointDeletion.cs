using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Domain.Data.Migrations
{
    /// <summary>A deleted webhook endpoint is kept, marked with when, for the account's delivery log.</summary>
    [DbContext(typeof(ControlPanelDbContext))]
    [Migration("20261207220100_WebhookEndpointDeletion")]
    public partial class WebhookEndpointDeletion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DeletedAt",
                table: "WebhookEndpoints",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "WebhookEndpoints");
        }
    }
}
