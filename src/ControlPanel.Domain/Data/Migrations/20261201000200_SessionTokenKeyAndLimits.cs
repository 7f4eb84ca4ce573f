using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Domain.Data.Migrations;

/// <summary>
/// Secrets every instance shares, made once: the key of the MAC that session tokens carry, so a forged
/// token is refused on any instance without a database look-up. And an index to count a key pair's
/// live sessions against Api:MaxLiveSessionsPerKeyPair.
/// </summary>
[DbContext(typeof(ControlPanelDbContext))]
[Migration("20261201000200_SessionTokenKeyAndLimits")]
public sealed class SessionTokenKeyAndLimits : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "SharedSecrets",
            columns: table => new
            {
                Name = table.Column<string>(maxLength: 100, nullable: false),
                Value = table.Column<byte[]>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SharedSecrets", x => x.Name));
        migrationBuilder.CreateIndex(name: "IX_Sessions_KeyPairId_ExpiresAt", table: "Sessions", columns: ["KeyPairId", "ExpiresAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_Sessions_KeyPairId_ExpiresAt", table: "Sessions");
        migrationBuilder.DropTable("SharedSecrets");
    }
}
