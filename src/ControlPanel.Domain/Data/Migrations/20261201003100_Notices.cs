using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>Notices by mail: which kinds each person turned off, and each account's extra recipients.</summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201003100_Notices")]
public sealed class Notices : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(name: "MutedNotices", table: "AspNetUsers", nullable: false, defaultValue: 0);
        migrationBuilder.CreateTable(
            name: "NoticeRecipients",
            columns: table => new
            {
                AccountId = table.Column<Guid>(nullable: false),
                Addresses = table.Column<string>(maxLength: 1000, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_NoticeRecipients", x => x.AccountId);
                table.ForeignKey("FK_NoticeRecipients_Accounts_AccountId", x => x.AccountId, "Accounts", "Id", onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "MutedNotices", table: "AspNetUsers");
        migrationBuilder.DropTable("NoticeRecipients");
    }
}
