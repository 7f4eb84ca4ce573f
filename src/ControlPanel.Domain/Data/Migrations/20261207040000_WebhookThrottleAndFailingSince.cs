using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// Each webhook endpoint gets the deliveries per second its owner allows (null: the admin's cap) and the time its current run of
/// failed attempts began, so an endpoint failing for days is disabled even when it fails slowly.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261207040000_WebhookThrottleAndFailingSince")]
public sealed class WebhookThrottleAndFailingSince : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(name: "MaxDeliveriesPerSecond", table: "WebhookEndpoints", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "FailingSince", table: "WebhookEndpoints", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "FailingSince", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "MaxDeliveriesPerSecond", table: "WebhookEndpoints");
    }
}
