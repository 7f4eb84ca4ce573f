using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ApplicationsPage = ControlPanel.Web.Components.Pages.Applications.Applications;

namespace ControlPanel.Components.Tests.Applications;

public sealed class ApplicationsListTests : ApplicationTest
{
    [Fact]
    public async Task A_new_owner_sees_the_empty_state_with_a_create_button()
    {
        SignIn(await NewOwnerAsync("Acme"));

        var list = Render<ApplicationsPage>();

        list.WaitForAssertion(() => Assert.Contains("No applications yet", list.Find("[data-testid=applications-empty]").TextContent));
        Assert.Single(list.FindAll("[data-testid=new-application]"));
        Assert.Empty(list.FindAll("[data-testid=applications-grid]"));
    }

    [Fact]
    public async Task Support_sees_the_empty_state_without_a_create_button()
    {
        SignIn(await NewStaffAsync(Roles.Support));

        var list = Render<ApplicationsPage>();

        list.WaitForElement("[data-testid=applications-empty]");
        Assert.Empty(list.FindAll("[data-testid=new-application]"));
    }

    [Fact]
    public async Task An_owner_sees_their_applications_linked_with_status_and_environment_chips_and_not_another_accounts()
    {
        var owner = await NewOwnerAsync("Acme");
        var storefront = await NewApplicationAsync(owner, "Storefront", ApplicationEnvironment.Live);
        await NewApplicationAsync(await NewOwnerAsync("Globex"), "Globex secret app");
        await UseAsync<AdminControls, bool>(async admin => { await admin.SetOnlineAsync(Admin, storefront.Application.Id, false); return true; });
        SignIn(owner);

        var list = Render<ApplicationsPage>();

        var link = list.WaitForElement("[data-testid=application-link]");
        Assert.Single(list.FindAll("[data-testid=application-link]"));
        Assert.Equal("Storefront", link.TextContent);
        Assert.Equal($"applications/{storefront.Application.Id}", link.GetAttribute("href"));
        // Taken offline by an Admin: suspended, as its page and the dashboard say.
        Assert.Equal("Suspended", list.Find("[data-testid=status-chip]").TextContent.Trim());
        Assert.Equal("Live", list.Find("[data-testid=environment-chip]").TextContent.Trim());
        Assert.DoesNotContain("Globex", list.Markup);
        Assert.DoesNotContain("No applications yet", list.Markup);
        // The Name column comes first, so it is the first line of a row stacked on a phone; owners have no Account column.
        Assert.Equal("Name", list.Find("[data-testid=applications-grid] td").GetAttribute("data-label"));
        Assert.DoesNotContain(list.FindAll("[data-testid=applications-grid] td"), td => td.GetAttribute("data-label") == "Account");
        Assert.Single(list.FindAll("[data-testid=new-application]"));
    }

    [Fact]
    public async Task Staff_see_every_accounts_applications_with_the_account_and_can_search_them()
    {
        await NewApplicationAsync(await NewOwnerAsync("Acme"), "Storefront");
        await NewApplicationAsync(await NewOwnerAsync("Globex"), "Billing");
        SignIn(await NewStaffAsync(Roles.Support));

        var list = Render<ApplicationsPage>();

        list.WaitForAssertion(() => Assert.Equal(["Storefront", "Billing"], list.FindAll("[data-testid=application-link]").Select(a => a.TextContent)));
        Assert.Contains(list.FindAll("[data-testid=applications-grid] td"), td => td.GetAttribute("data-label") == "Account" && td.TextContent.Trim() == "Globex");
        Assert.Empty(list.FindAll("[data-testid=new-application]"));

        InputIn(list.Find("[data-testid=applications-search]")).Input("glob");
        list.WaitForAssertion(() => Assert.Equal(["Billing"], list.FindAll("[data-testid=application-link]").Select(a => a.TextContent)));
    }
}
