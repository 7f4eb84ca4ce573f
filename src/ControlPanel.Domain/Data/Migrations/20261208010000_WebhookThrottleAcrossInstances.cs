using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// Each webhook endpoint keeps its recent starts and its attempts in flight on its row, so its throttle and its concurrency cap
/// hold over all instances sharing the database (until now each instance counted its own). Existing endpoints start with none.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261208010000_WebhookThrottleAcrossInstances")]
public sealed class WebhookThrottleAcrossInstances : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(name: "EarlierStarts", table: "WebhookEndpoints", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<DateTime>(name: "EarlierStartAt", table: "WebhookEndpoints", nullable: true);
        migrationBuilder.AddColumn<int>(name: "LatestStarts", table: "WebhookEndpoints", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<DateTime>(name: "LatestStartAt", table: "WebhookEndpoints", nullable: true);
        migrationBuilder.AddColumn<int>(name: "AttemptsInFlight", table: "WebhookEndpoints", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<DateTime>(name: "InFlightUntil", table: "WebhookEndpoints", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "InFlightUntil", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "AttemptsInFlight", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "LatestStartAt", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "LatestStarts", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "EarlierStartAt", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "EarlierStarts", table: "WebhookEndpoints");
    }
}
