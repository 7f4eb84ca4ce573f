using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Applications;

internal sealed class ApplicationViewConfiguration : IEntityTypeConfiguration<ApplicationView>
{
    public void Configure(EntityTypeBuilder<ApplicationView> view)
    {
        view.ToTable("ApplicationViews");
        view.HasKey(v => new { v.ApplicationId, v.Name });
        view.Property(v => v.Name).HasMaxLength(Application.ViewMaxLength);
        view.Property(v => v.Description).HasMaxLength(ApplicationView.DescriptionMaxLength);
        view.Property(v => v.CreatedBy).HasMaxLength(256);
        view.HasOne<Application>().WithMany().HasForeignKey(v => v.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
