using ControlPanel.Domain.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Sessions;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> session)
    {
        session.ToTable("Sessions");
        session.Property(s => s.TokenHash).HasMaxLength(64);
        session.Property(s => s.View).HasMaxLength(Application.ViewMaxLength);
        session.Property(s => s.OpenedFrom).HasMaxLength(Session.AddressMaxLength);
        session.Property(s => s.EndedBy).HasMaxLength(256);
        session.HasOne<Application>().WithMany().HasForeignKey(s => s.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        session.HasIndex(s => s.TokenHash).IsUnique();
        session.HasIndex(s => s.ExpiresAt);
        session.HasIndex(s => new { s.KeyPairId, s.ExpiresAt });
        // The Sessions tab: an application's sessions, newest first.
        session.HasIndex(s => new { s.ApplicationId, s.CreatedAt });
    }
}
