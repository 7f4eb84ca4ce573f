using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Identity's passkeys table, mapped as its schema version 3 maps it. Mapped here rather than by setting
/// IdentityOptions.Stores.SchemaVersion to Version3: that setting also changes version 2's key lengths on the other
/// Identity tables, and only contexts built with the app's services see it (not `dotnet ef`'s or the factory's).
/// </summary>
internal sealed class PasskeyConfiguration : IEntityTypeConfiguration<IdentityUserPasskey<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserPasskey<string>> passkey)
    {
        passkey.ToTable("AspNetUserPasskeys");
        passkey.HasKey(p => p.CredentialId);
        // WebAuthn credential ids are at most 1023 bytes.
        passkey.Property(p => p.CredentialId).HasMaxLength(1024);
        passkey.Property(p => p.UserId).HasMaxLength(450);
        passkey.OwnsOne(p => p.Data).ToJson();
        passkey.HasOne<ControlPanelUser>().WithMany().HasForeignKey(p => p.UserId).IsRequired().OnDelete(DeleteBehavior.Cascade);
        passkey.HasIndex(p => p.UserId);
    }
}
