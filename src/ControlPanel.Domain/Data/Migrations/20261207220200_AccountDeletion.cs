using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Domain.Data.Migrations
{
    /// <summary>An account its Owner deleted: when and by whom (restorable by staff until the grace period ends), and when it was erased.</summary>
    [DbContext(typeof(ControlPanelDbContext))]
    [Migration("20261207220200_AccountDeletion")]
    public partial class AccountDeletion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DeletionRequestedAt",
                table: "Accounts",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeletionRequestedBy",
                table: "Accounts",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ErasedAt",
                table: "Accounts",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "DeletionRequestedAt", table: "Accounts");
            migrationBuilder.DropColumn(name: "DeletionRequestedBy", table: "Accounts");
            migrationBuilder.DropColumn(name: "ErasedAt", table: "Accounts");
        }
    }
}
