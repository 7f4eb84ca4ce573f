using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Web.Components.Pages.Applications;

namespace ControlPanel.Components.Tests.Applications;

public sealed class ViewsTabTests : ApplicationTest
{
    private IRenderedComponent<ViewsTab> RenderTab(Guid applicationId, bool canChange)
    {
        var tab = Render<ViewsTab>(p => p.Add(t => t.ApplicationId, applicationId).Add(t => t.CanChange, canChange));
        tab.WaitForElement("[data-testid=view-list]");
        return tab;
    }

    [Fact]
    public async Task The_owner_adds_a_view_with_its_description_and_removes_it_after_confirming()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var tab = RenderTab(application.Application.Id, canChange: true);

        // The default view is listed, marked, and has no remove button.
        Assert.Equal([Application.DefaultViewName], tab.FindAll("[data-testid=view-row-name] code").Select(c => c.TextContent));
        Assert.NotEmpty(tab.FindAll("[data-testid=view-default]"));
        Assert.Empty(tab.FindAll("[data-testid=remove-view]"));

        InputIn(tab.Find("[data-testid=view-name]")).Change("catalogue");
        InputIn(tab.Find("[data-testid=view-description]")).Change("Products only");
        await tab.Find("[data-testid=add-view-form]").SubmitAsync();
        tab.WaitForAssertion(() => Assert.Equal(["default", "catalogue"], tab.FindAll("[data-testid=view-row-name] code").Select(c => c.TextContent)));
        Assert.Contains("Products only", tab.Find("[data-testid=view-list]").TextContent);

        // The same name again is refused at the field.
        InputIn(tab.Find("[data-testid=view-name]")).Change("catalogue");
        await tab.Find("[data-testid=add-view-form]").SubmitAsync();
        tab.WaitForAssertion(() => Assert.Contains("already a view named", tab.Find("[data-testid=add-view-form]").TextContent));

        var removing = tab.Find("[data-testid=remove-view]").ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        await confirm.ClickAsync(new());
        await removing;
        tab.WaitForAssertion(() => Assert.Equal(["default"], tab.FindAll("[data-testid=view-row-name] code").Select(c => c.TextContent)));
    }

    [Fact]
    public async Task A_view_name_past_its_limit_is_refused_with_a_message_not_cut_and_its_counter_shows_the_limit()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var tab = RenderTab(application.Application.Id, canChange: true);

        var input = InputIn(tab.Find("[data-testid=view-name]"));
        Assert.NotEqual(Application.ViewMaxLength.ToString(), input.GetAttribute("maxlength"));
        var tooLong = new string('v', Application.ViewMaxLength + 1);
        input.Change(tooLong);
        Assert.Contains($"{tooLong.Length} / {Application.ViewMaxLength}", tab.Find("[data-testid=add-view-form]").TextContent);
        await tab.Find("[data-testid=add-view-form]").SubmitAsync();

        tab.WaitForAssertion(() => Assert.Contains("at most 100 characters", tab.Find("[data-testid=add-view-form]").TextContent));
        Assert.Equal([Application.DefaultViewName], tab.FindAll("[data-testid=view-row-name] code").Select(c => c.TextContent));
    }

    [Fact]
    public async Task The_owner_edits_a_views_description_in_its_row()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var tab = RenderTab(application.Application.Id, canChange: true);

        await tab.Find("[data-testid=edit-view]").ClickAsync(new());
        InputIn(tab.Find("[data-testid=edit-view-description]")).Change("Everything");
        await tab.Find("[data-testid=save-view-description]").ClickAsync(new());

        tab.WaitForAssertion(() => Assert.Equal("Everything", tab.Find("[data-testid=view-row-description]").TextContent.Trim()));
        Assert.Empty(tab.FindAll("[data-testid=edit-view-description]"));
        var rows = await UseAsync<ApplicationViews, IReadOnlyList<ApplicationViews.Row>>(views => views.ListAsync(owner, application.Application.Id));
        Assert.Equal("Everything", Assert.Single(rows).Description);
    }

    [Fact]
    public async Task Support_reads_the_list_without_any_control()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        await UseAsync<ApplicationViews, bool>(async views =>
        {
            await views.AddAsync(owner, application.Application.Id, new() { Name = "catalogue", Description = "Products only" });
            return true;
        });
        SignIn(await NewStaffAsync(Roles.Support));

        var tab = RenderTab(application.Application.Id, canChange: false);

        Assert.Equal(["default", "catalogue"], tab.FindAll("[data-testid=view-row-name] code").Select(c => c.TextContent));
        Assert.Empty(tab.FindAll("[data-testid=add-view-form]"));
        Assert.Empty(tab.FindAll("[data-testid=remove-view]"));
        Assert.Empty(tab.FindAll("[data-testid=edit-view]"));
    }

    [Fact]
    public async Task The_overview_offers_only_listed_views_as_the_default()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        await UseAsync<ApplicationViews, bool>(async views =>
        {
            await views.AddAsync(owner, application.Application.Id, new() { Name = "catalogue" });
            return true;
        });
        SignIn(owner);
        var details = await UseAsync<ApplicationService, ApplicationService.Details>(s => s.GetAsync(owner, application.Application.Id));

        var overview = Render<OverviewTab>(p => p.Add(t => t.Details, details));

        overview.WaitForAssertion(() => Assert.True(overview.FindAll("[data-testid=application-view]").Count > 0, overview.Markup));
        await overview.Find("[data-testid=application-view]").Closest(".mud-input-control")!.MouseDownAsync(new());
        var items = Popovers.WaitForElements(".mud-list-item");
        Assert.Equal(["default", "catalogue"], items.Select(i => i.TextContent.Trim()));
        await items.Single(i => i.TextContent.Trim() == "catalogue").ClickAsync(new());
        await overview.Find("[data-testid=overview-form]").SubmitAsync();
        Snackbars.WaitForAssertion(() => Assert.Contains("Saved.", Snackbars.Markup));
        Assert.Equal("catalogue", (await UseAsync<ApplicationService, ApplicationService.Details>(s => s.GetAsync(owner, application.Application.Id))).Application.DefaultView);
    }
}
