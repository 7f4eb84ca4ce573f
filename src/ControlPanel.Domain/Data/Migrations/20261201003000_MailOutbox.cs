using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// The mail outbox: mails written in the same transaction as the change that causes them, sent by the mail
/// dispatcher with retries.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201003000_MailOutbox")]
public sealed class MailOutbox : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "MailOutbox",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Kind = table.Column<string>(maxLength: 40, nullable: false),
                To = table.Column<string>(maxLength: 256, nullable: false),
                UserId = table.Column<string>(maxLength: 450, nullable: true),
                Subject = table.Column<string>(maxLength: 200, nullable: false),
                TextBody = table.Column<string>(nullable: false),
                HtmlBody = table.Column<string>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                NextAttemptAt = table.Column<DateTime>(nullable: false),
                Attempts = table.Column<int>(nullable: false),
                ClaimedUntil = table.Column<DateTime>(nullable: true),
                SentAt = table.Column<DateTime>(nullable: true),
                FailedAt = table.Column<DateTime>(nullable: true),
                LastError = table.Column<string>(maxLength: 1000, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_MailOutbox", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_MailOutbox_SentAt_FailedAt_NextAttemptAt", table: "MailOutbox", columns: ["SentAt", "FailedAt", "NextAttemptAt"]);
        migrationBuilder.CreateIndex(name: "IX_MailOutbox_UserId_Kind_CreatedAt", table: "MailOutbox", columns: ["UserId", "Kind", "CreatedAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("MailOutbox");
}
