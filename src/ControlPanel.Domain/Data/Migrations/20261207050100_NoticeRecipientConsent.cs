using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// The extra notice recipients who confirmed they want the notices: only these get them. Recipients listed before start
/// unconfirmed (nobody consented), and are mailed a link when an owner lists them anew.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261207050100_NoticeRecipientConsent")]
public sealed class NoticeRecipientConsent : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Confirmed", table: "NoticeRecipients", maxLength: 1000, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "Confirmed", table: "NoticeRecipients");
    }
}
