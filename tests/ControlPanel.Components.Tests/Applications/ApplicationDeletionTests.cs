using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Web.Components.Pages.Applications;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Applications;

/// <summary>Deleting from the application's Overview: the name is typed exactly first; the Viewer role is offered no delete.</summary>
public sealed class ApplicationDeletionTests : ApplicationTest
{
    private IRenderedComponent<ApplicationPage> RenderPage(Guid id)
    {
        var page = Render<ApplicationPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=application-title], [data-testid=not-found]").Count > 0));
        return page;
    }

    [Fact]
    public async Task Delete_is_given_only_once_the_exact_name_is_typed_then_the_application_is_gone()
    {
        var owner = await NewOwnerAsync("Acme");
        var developer = await NewMemberAsync(owner, Roles.Developer);
        var created = await NewApplicationAsync(owner, "Storefront EU");
        SignIn(developer);
        var page = RenderPage(created.Application.Id);

        // Not awaited: the click's handler waits for the confirmation.
        page.Find("[data-testid=delete-application]").Click();
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        Assert.True(confirm.HasAttribute("disabled"));

        // Close is not the name: another case, a missing space, a trailing space.
        foreach (var wrong in new[] { "storefront eu", "StorefrontEU", "Storefront EU " })
        {
            InputIn(DialogHost.Find("[data-testid=confirm-name]")).Input(wrong);
            DialogHost.WaitForAssertion(() => Assert.True(DialogHost.Find("[data-testid=confirm]").HasAttribute("disabled")));
        }
        Assert.NotNull(await ApplicationAsync(owner, created.Application.Id));

        InputIn(DialogHost.Find("[data-testid=confirm-name]")).Input("Storefront EU");
        DialogHost.WaitForAssertion(() => Assert.False(DialogHost.Find("[data-testid=confirm]").HasAttribute("disabled")));
        await DialogHost.Find("[data-testid=confirm]").ClickAsync(new());

        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("/applications", navigation.Uri));
        Assert.Null(await ApplicationAsync(owner, created.Application.Id));
        Snackbars.WaitForAssertion(() => Assert.Contains("Deleted Storefront EU.", Snackbars.Markup));
    }

    [Fact]
    public async Task Cancelling_keeps_the_application_and_the_Viewer_role_is_offered_no_delete()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var page = RenderPage(created.Application.Id);
        page.Find("[data-testid=delete-application]").Click();
        InputIn(DialogHost.WaitForElement("[data-testid=confirm-name]")).Input("Storefront");
        await DialogHost.Find("[data-testid=confirm-cancel]").ClickAsync(new());
        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll("[data-testid=confirm]")));
        Assert.NotNull(await ApplicationAsync(owner, created.Application.Id));

        SignIn(await NewMemberAsync(owner, Roles.Viewer));
        var viewerPage = RenderPage(created.Application.Id);
        Assert.Empty(viewerPage.FindAll("[data-testid=delete-application]"));
    }

    private Task<Application?> ApplicationAsync(Viewer viewer, Guid id) =>
        UseAsync<ApplicationService, Application?>(async applications =>
        {
            try { return (await applications.GetAsync(viewer, id)).Application; }
            catch (AccessDeniedException) { return null; }
        });
}
