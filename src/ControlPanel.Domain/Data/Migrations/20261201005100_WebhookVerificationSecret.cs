using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// Each webhook endpoint gets a verification secret for the body's "secret" field (receivers compare it, as the seed says), and a
/// rotated signing secret can keep signing beside the new one for an overlap. Endpoints added before have no verification secret
/// (null) and keep sending their public secret id there until the owner sets one, so their receivers do not break on upgrade.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201005100_WebhookVerificationSecret")]
public sealed class WebhookVerificationSecret : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "ProtectedPreviousSecret", table: "WebhookEndpoints", nullable: true);
        migrationBuilder.AddColumn<string>(name: "PreviousSecretId", table: "WebhookEndpoints", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "PreviousSecretExpiresAt", table: "WebhookEndpoints", nullable: true);
        migrationBuilder.AddColumn<string>(name: "ProtectedVerificationSecret", table: "WebhookEndpoints", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "VerificationSecretSetAt", table: "WebhookEndpoints", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "VerificationSecretSetAt", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "ProtectedVerificationSecret", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "PreviousSecretExpiresAt", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "PreviousSecretId", table: "WebhookEndpoints");
        migrationBuilder.DropColumn(name: "ProtectedPreviousSecret", table: "WebhookEndpoints");
    }
}
