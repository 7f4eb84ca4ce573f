using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>The step of each user's last accepted authenticator code, so a code works once.</summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201000400_AuthenticatorStepUsed")]
public sealed class AuthenticatorStepUsed : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<long>(name: "AuthenticatorStepUsed", table: "AspNetUsers", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "AuthenticatorStepUsed", table: "AspNetUsers");
}
