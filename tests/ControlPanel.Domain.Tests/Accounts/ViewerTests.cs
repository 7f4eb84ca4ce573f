using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Tests.Accounts;

public class ViewerTests
{
    private static readonly Guid OwnAccount = Guid.NewGuid();
    private static readonly Guid OtherAccount = Guid.NewGuid();

    private static Viewer As(string role, Guid? accountId = null) => new("user-1", "Someone", role, accountId);

    [Fact]
    public void An_admin_reads_and_changes_every_account()
    {
        var admin = As(Roles.Admin);
        Assert.True(admin.IsAdmin);
        Assert.True(admin.IsStaff);
        Assert.False(admin.IsOwner);
        Assert.True(admin.CanRead(OwnAccount));
        Assert.True(admin.CanRead(OtherAccount));
        Assert.True(admin.CanChange(OwnAccount));
        Assert.True(admin.CanChange(OtherAccount));
    }

    [Fact]
    public void Support_reads_every_account_and_changes_none()
    {
        var support = As(Roles.Support);
        Assert.True(support.IsSupport);
        Assert.True(support.IsStaff);
        Assert.False(support.IsAdmin);
        Assert.True(support.CanRead(OwnAccount));
        Assert.True(support.CanRead(OtherAccount));
        Assert.False(support.CanChange(OwnAccount));
        Assert.False(support.CanChange(OtherAccount));
    }

    [Fact]
    public void An_owner_reads_and_changes_only_their_own_account()
    {
        var owner = As(Roles.Owner, OwnAccount);
        Assert.True(owner.IsOwner);
        Assert.False(owner.IsStaff);
        Assert.True(owner.CanRead(OwnAccount));
        Assert.True(owner.CanChange(OwnAccount));
        Assert.False(owner.CanRead(OtherAccount));
        Assert.False(owner.CanChange(OtherAccount));
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public void A_read_only_viewer_reads_what_its_person_reads_and_changes_nothing(string role)
    {
        // A read-only access token acting for its creator.
        var viewer = As(role, role == Roles.Owner ? OwnAccount : null) with { ReadOnly = true };
        Assert.True(viewer.CanRead(OwnAccount));
        Assert.Equal(role == Roles.Admin, viewer.CanRead(OtherAccount));
        Assert.False(viewer.CanChange(OwnAccount));
        Assert.False(viewer.CanChange(OtherAccount));
        Assert.False(ControlPanel.Domain.Applications.ApplicationService.CanCreate(viewer));
    }

    [Fact]
    public void An_owner_without_an_account_reads_and_changes_nothing()
    {
        var owner = As(Roles.Owner, accountId: null);
        Assert.False(owner.CanRead(OwnAccount));
        Assert.False(owner.CanChange(OwnAccount));
    }

    [Theory]
    [InlineData("")]
    [InlineData("admin")] // roles are matched exactly
    [InlineData("Guest")]
    public void An_unknown_role_reads_and_changes_nothing(string role)
    {
        var viewer = As(role, OwnAccount);
        Assert.False(viewer.IsStaff);
        Assert.False(viewer.IsOwner);
        Assert.False(viewer.CanRead(OwnAccount));
        Assert.False(viewer.CanChange(OwnAccount));
    }

    [Fact]
    public void Staff_with_an_account_id_still_follow_the_staff_rules()
    {
        var support = As(Roles.Support, OwnAccount);
        Assert.True(support.CanRead(OtherAccount));
        Assert.False(support.CanChange(OwnAccount));
    }
}
