using ControlPanel.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.AccessTokens;

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> token)
    {
        token.ToTable("AccessTokens");
        token.Property(t => t.UserId).HasMaxLength(450);
        token.Property(t => t.Name).HasMaxLength(AccessToken.NameMaxLength);
        token.Property(t => t.Scope).HasConversion<string>().HasMaxLength(20);
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.Last4).HasMaxLength(4);
        // A removed user's tokens go with them.
        token.HasOne<ControlPanelUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        // No foreign key: SQLite cannot add one to a table that exists. The account's tokens are found by this index.
        token.HasIndex(t => t.AccountId);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasIndex(t => t.UserId);
    }
}
