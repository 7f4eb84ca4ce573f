using ControlPanel.Domain.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Sessions;

internal sealed class SessionViewChangeConfiguration : IEntityTypeConfiguration<SessionViewChange>
{
    public void Configure(EntityTypeBuilder<SessionViewChange> change)
    {
        change.ToTable("SessionViewChanges");
        change.Property(c => c.FromView).HasMaxLength(Application.ViewMaxLength);
        change.Property(c => c.ToView).HasMaxLength(Application.ViewMaxLength);
        change.HasOne<Session>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
        change.HasIndex(c => new { c.SessionId, c.At });
        change.HasIndex(c => c.At);
    }
}
