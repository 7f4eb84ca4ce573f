using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Applications;

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> application)
    {
        application.ToTable("Applications");
        application.Property(a => a.Name).HasMaxLength(Application.NameMaxLength);
        application.Property(a => a.Environment).HasConversion<string>().HasMaxLength(20);
        application.Property(a => a.DefaultView).HasMaxLength(Application.ViewMaxLength);
        application.Property(a => a.CreatedBy).HasMaxLength(256);
        application.Property(a => a.SuspensionReason).HasMaxLength(Application.SuspensionReasonMaxLength);
        application.HasOne(a => a.Account).WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
        application.HasIndex(a => new { a.AccountId, a.Name });
        application.Property(a => a.DeletedBy).HasMaxLength(256);
        // Deleted applications are kept for their history but gone from every query; reports that name them ignore the filter.
        application.HasQueryFilter(a => a.DeletedAt == null);
    }
}
