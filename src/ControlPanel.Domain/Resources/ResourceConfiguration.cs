using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Domain.Resources;

internal sealed class ResourceConfiguration : IEntityTypeConfiguration<Resource>
{
    public void Configure(EntityTypeBuilder<Resource> resource)
    {
        resource.ToTable("Resources");
        resource.HasKey(r => r.Id);
        resource.Property(r => r.Method).HasMaxLength(Resource.MethodMaxLength);
        resource.Property(r => r.Path).HasMaxLength(Resource.PathMaxLength);
        resource.Property(r => r.Description).HasMaxLength(Resource.DescriptionMaxLength);
        resource.Property(r => r.UpdatedBy).HasMaxLength(256);
        resource.Ignore(r => r.IsDefault);
        resource.Ignore(r => r.Title);
    }
}
