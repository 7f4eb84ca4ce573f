using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Resources;
using ResourcesPage = ControlPanel.Web.Components.Pages.Resources.Resources;

namespace ControlPanel.Components.Tests.Resources;

public sealed class ResourcesPageTests : ComponentTest
{
    private Task<Guid> AddAsync(string method, string path, bool session = false) =>
        UseAsync<ResourceService, Guid>(r => r.CreateAsync(Admin, new ResourceService.Form { Method = method, Path = path, SessionRequired = session }));

    [Fact]
    public async Task Admin_adds_a_resource_and_it_is_listed_in_matching_order()
    {
        SignIn(Admin);
        var page = Render<ResourcesPage>();
        page.WaitForElement("[data-testid=resource-list]");
        Assert.Single(page.FindAll("[data-testid=resource-title]"));

        page.Find("[data-testid=add-resource]").Click();
        page.Find("input[data-testid=resource-path]").Change("/v1/chats/{id}");
        page.Find("input[data-testid=limit-live-user]").Change("600");
        await page.Find("form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=resource-title]").Count));
        var titles = page.FindAll("[data-testid=resource-title]").Select(t => t.TextContent).ToList();
        Assert.Contains("GET /v1/chats/{id}", titles[0]);
        Assert.Contains("any /**", titles[1]);
        Assert.Contains("Live: app / 600", page.FindAll("[data-testid=resource-limits-cell]")[0].TextContent);
        var saved = await UseAsync<ResourceService, ResourceService.Catalogue>(r => r.ListAsync(Admin));
        Assert.Equal(600, saved.Resources[0].Limits[Domain.Applications.ApplicationEnvironment.Live].PerUser);
    }

    [Fact]
    public async Task A_refused_pattern_is_shown_at_its_field_and_nothing_is_saved()
    {
        await AddAsync("GET", "/v1/chats/{id}");
        SignIn(Admin);
        var page = Render<ResourcesPage>();
        page.WaitForElement("[data-testid=resource-list]");

        page.Find("[data-testid=add-resource]").Click();
        page.Find("input[data-testid=resource-path]").Change("/v1/**/chats");
        await page.Find("form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("** (any number of segments) may only end", page.Find("[data-testid=resource-form-card]").TextContent));

        // Same paths as an existing resource: the domain refuses it, at the path.
        page.Find("input[data-testid=resource-path]").Change("/v1/chats/*");
        await page.Find("form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("could never be reached", page.Find("[data-testid=resource-form-card]").TextContent));
        Assert.Equal(2, (await UseAsync<ResourceService, ResourceService.Catalogue>(r => r.ListAsync(Admin))).Resources.Count);
    }

    [Fact]
    public async Task A_limit_typed_as_5k_is_refused_at_its_field_and_nothing_is_saved()
    {
        SignIn(Admin);
        var page = Render<ResourcesPage>();
        page.WaitForElement("[data-testid=resource-list]");

        page.Find("[data-testid=add-resource]").Click();
        page.Find("input[data-testid=resource-path]").Change("/v1/chats/{id}");
        page.Find("input[data-testid=limit-live-user]").Change("5k");
        await page.Find("form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("Enter the limit as a whole number in digits", page.Find("[data-testid=resource-form-card]").TextContent));
        Assert.Single((await UseAsync<ResourceService, ResourceService.Catalogue>(r => r.ListAsync(Admin))).Resources);

        // Digits are read: the message goes and the number is what is saved.
        page.Find("input[data-testid=limit-live-user]").Change("600");
        await page.Find("form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=resource-title]").Count));
        var saved = await UseAsync<ResourceService, ResourceService.Catalogue>(r => r.ListAsync(Admin));
        Assert.Equal(600, saved.Resources[0].Limits[Domain.Applications.ApplicationEnvironment.Live].PerUser);
    }

    [Fact]
    public async Task Overlaps_are_pointed_out()
    {
        await AddAsync("GET", "/v1/chats/*");
        await AddAsync("*", "/v1/*/messages");
        SignIn(Admin);
        var page = Render<ResourcesPage>();

        page.WaitForAssertion(() => Assert.Contains("calls that match both are GET /v1/chats/*", page.Find("[data-testid=resource-warning]").TextContent));
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Owner)]
    public async Task Support_and_owners_read_the_catalogue_without_controls(string role)
    {
        await AddAsync("GET", "/v1/chats/{id}", session: true);
        SignIn(role == Roles.Owner ? await NewOwnerAsync("Acme") : await NewStaffAsync(Roles.Support));
        var page = Render<ResourcesPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=resource-title]").Count));
        Assert.Contains("required", page.FindAll("[data-testid=resource-session-cell]")[0].TextContent);
        Assert.Empty(page.FindAll("[data-testid=add-resource]"));
        Assert.Empty(page.FindAll("[data-testid=edit-resource]"));
        Assert.Empty(page.FindAll("[data-testid=delete-resource]"));
    }

    [Fact]
    public async Task Admin_changes_the_default_resource_but_not_its_pattern()
    {
        SignIn(Admin);
        var page = Render<ResourcesPage>();
        page.WaitForElement("[data-testid=edit-resource]").Click();

        Assert.True(page.Find("input[data-testid=resource-path]").HasAttribute("disabled"));
        var counted = page.Find("[data-testid=resource-counted]");
        (counted.LocalName == "input" ? counted : counted.QuerySelector("input")!).Change(false);
        await page.Find("form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("not counted", page.Find("[data-testid=resource-counted-cell]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=delete-resource]"));
    }
}
