using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Sessions;

internal sealed class SessionActivityMinuteConfiguration : IEntityTypeConfiguration<SessionActivityMinute>
{
    public void Configure(EntityTypeBuilder<SessionActivityMinute> activity)
    {
        activity.ToTable("SessionActivity");
        // No foreign key to Sessions: a flush must never fail (and be retried for ever) because a session was deleted
        // with its application meanwhile; such rows go with the retention like the rest.
        activity.HasKey(a => new { a.SessionId, a.Minute, a.ResourceId, a.Outcome });
        activity.HasIndex(a => a.Minute);
    }
}
