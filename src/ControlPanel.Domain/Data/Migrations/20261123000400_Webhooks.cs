using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>Webhook endpoints, the event outbox, deliveries and their attempts.</summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261123000400_Webhooks")]
public sealed class AddWebhooks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "WebhookEndpoints",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                AccountId = table.Column<Guid>(nullable: false),
                Url = table.Column<string>(maxLength: 2048, nullable: false),
                Description = table.Column<string>(maxLength: 200, nullable: false),
                IsEnabled = table.Column<bool>(nullable: false),
                Events = table.Column<string>(maxLength: 400, nullable: false),
                ProtectedSecret = table.Column<string>(nullable: false),
                SecretId = table.Column<string>(maxLength: 32, nullable: false),
                SecretCreatedAt = table.Column<DateTime>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                CreatedBy = table.Column<string>(maxLength: 256, nullable: false),
                DisabledAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_WebhookEndpoints", x => x.Id);
                table.ForeignKey("FK_WebhookEndpoints_Accounts_AccountId", x => x.AccountId, "Accounts", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex(name: "IX_WebhookEndpoints_AccountId", table: "WebhookEndpoints", column: "AccountId");

        migrationBuilder.CreateTable(
            name: "WebhookEvents",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                AccountId = table.Column<Guid>(nullable: false),
                ApplicationId = table.Column<Guid>(nullable: true),
                Name = table.Column<string>(maxLength: 64, nullable: false),
                DataJson = table.Column<string>(nullable: false),
                OccurredAt = table.Column<DateTime>(nullable: false),
                FannedOutAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_WebhookEvents", x => x.Id);
                table.ForeignKey("FK_WebhookEvents_Accounts_AccountId", x => x.AccountId, "Accounts", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex(name: "IX_WebhookEvents_AccountId_OccurredAt", table: "WebhookEvents", columns: ["AccountId", "OccurredAt"]);
        migrationBuilder.CreateIndex(name: "IX_WebhookEvents_FannedOutAt", table: "WebhookEvents", column: "FannedOutAt");

        migrationBuilder.CreateTable(
            name: "WebhookDeliveries",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                EventId = table.Column<Guid>(nullable: false),
                EndpointId = table.Column<Guid>(nullable: false),
                AccountId = table.Column<Guid>(nullable: false),
                EventName = table.Column<string>(maxLength: 64, nullable: false),
                Status = table.Column<string>(maxLength: 20, nullable: false),
                Attempts = table.Column<int>(nullable: false),
                AttemptLimit = table.Column<int>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                NextAttemptAt = table.Column<DateTime>(nullable: true),
                LastAttemptAt = table.Column<DateTime>(nullable: true),
                DeliveredAt = table.Column<DateTime>(nullable: true),
                LastHttpStatus = table.Column<int>(nullable: true),
                LastError = table.Column<string>(maxLength: 500, nullable: true),
                LeasedUntil = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_WebhookDeliveries", x => x.Id);
                table.ForeignKey("FK_WebhookDeliveries_WebhookEvents_EventId", x => x.EventId, "WebhookEvents", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_WebhookDeliveries_WebhookEndpoints_EndpointId", x => x.EndpointId, "WebhookEndpoints", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_WebhookDeliveries_EventId_EndpointId", table: "WebhookDeliveries", columns: ["EventId", "EndpointId"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_WebhookDeliveries_EndpointId_CreatedAt", table: "WebhookDeliveries", columns: ["EndpointId", "CreatedAt"]);
        migrationBuilder.CreateIndex(name: "IX_WebhookDeliveries_AccountId_CreatedAt", table: "WebhookDeliveries", columns: ["AccountId", "CreatedAt"]);
        migrationBuilder.CreateIndex(name: "IX_WebhookDeliveries_Status_NextAttemptAt", table: "WebhookDeliveries", columns: ["Status", "NextAttemptAt"]);

        migrationBuilder.CreateTable(
            name: "WebhookAttempts",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                DeliveryId = table.Column<Guid>(nullable: false),
                EndpointId = table.Column<Guid>(nullable: false),
                Number = table.Column<int>(nullable: false),
                StartedAt = table.Column<DateTime>(nullable: false),
                DurationMs = table.Column<int>(nullable: false),
                HttpStatus = table.Column<int>(nullable: true),
                Outcome = table.Column<string>(maxLength: 20, nullable: false),
                ResponseBody = table.Column<string>(nullable: true),
                Error = table.Column<string>(maxLength: 500, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_WebhookAttempts", x => x.Id);
                table.ForeignKey("FK_WebhookAttempts_WebhookDeliveries_DeliveryId", x => x.DeliveryId, "WebhookDeliveries", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_WebhookAttempts_DeliveryId_Number", table: "WebhookAttempts", columns: ["DeliveryId", "Number"]);
        migrationBuilder.CreateIndex(name: "IX_WebhookAttempts_EndpointId_StartedAt", table: "WebhookAttempts", columns: ["EndpointId", "StartedAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("WebhookAttempts");
        migrationBuilder.DropTable("WebhookDeliveries");
        migrationBuilder.DropTable("WebhookEvents");
        migrationBuilder.DropTable("WebhookEndpoints");
    }
}
