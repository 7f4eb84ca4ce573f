using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Pages.Admin;
using ControlPanel.Web.Components.Pages.Members;

namespace ControlPanel.Components.Tests.Admin;

/// <summary>
/// A whole account deleted: its Owner deletes it from the Members page after typing its name; on the staff account page an
/// Admin restores it during the grace period, and Support sees that it is deleted but has no Restore.
/// </summary>
public sealed class AccountDeletionTests : ComponentTest
{
    private Task<Viewer> ActingAsync(Viewer person) =>
        UseAsync<AccountMembers, Viewer>(members => members.ActingAsync(person, person.AccountId));

    [Fact]
    public async Task The_owner_deletes_the_account_only_once_its_exact_name_is_typed()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(owner);
        var page = Render<MembersPage>();

        page.WaitForElement("[data-testid=delete-account]").Click();
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.True(confirm.HasAttribute("disabled"));
        DialogHost.Find("input[data-testid=confirm-name]").Input("initech");
        DialogHost.WaitForAssertion(() => Assert.True(DialogHost.Find("[data-testid=confirm]").HasAttribute("disabled")));
        Assert.Equal(owner.AccountId, (await ActingAsync(owner)).AccountId);

        DialogHost.Find("input[data-testid=confirm-name]").Input("Initech");
        await DialogHost.WaitForElement("[data-testid=confirm]:not([disabled])").ClickAsync(new());

        Snackbars.WaitForAssertion(() => Assert.Contains("Deleted Initech.", Snackbars.Markup));
        Assert.Null((await ActingAsync(owner)).AccountId);
    }

    [Fact]
    public async Task An_admin_restores_a_deleted_account_from_its_page()
    {
        var owner = await NewOwnerAsync("Initech");
        await UseAsync<AccountDeletion, DateTime>(deletion => deletion.DeleteAsync(owner, owner.AccountId!.Value, "Initech"));
        SignIn(Admin);
        var page = Render<AccountPage>(p => p.Add(x => x.AccountId, owner.AccountId!.Value));

        page.WaitForAssertion(() => Assert.Equal("Deleted", page.Find("[data-testid=account-status]").TextContent.Trim()));
        Assert.Contains("its keys are refused", page.Find("[data-testid=deletion-state]").TextContent);
        var click = page.Find("[data-testid=restore-account]").ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Assert.Equal("Active", page.Find("[data-testid=account-status]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=deletion-state]"));
        Assert.Equal(owner.AccountId, (await ActingAsync(owner)).AccountId);
    }

    [Fact]
    public async Task Support_sees_the_deletion_but_no_restore()
    {
        var owner = await NewOwnerAsync("Initech");
        await UseAsync<AccountDeletion, DateTime>(deletion => deletion.DeleteAsync(owner, owner.AccountId!.Value, "Initech"));
        SignIn(await NewStaffAsync(Roles.Support));
        var page = Render<AccountPage>(p => p.Add(x => x.AccountId, owner.AccountId!.Value));

        page.WaitForAssertion(() => Assert.Contains("its keys are refused", page.Find("[data-testid=deletion-state]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=restore-account]"));
    }
}
