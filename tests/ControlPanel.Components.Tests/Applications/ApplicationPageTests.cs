using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Web.Components.Pages.Applications;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Applications;

public sealed class ApplicationPageTests : ApplicationTest
{
    private IRenderedComponent<ApplicationPage> RenderPage(Guid id)
    {
        var page = Render<ApplicationPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=application-title], [data-testid=not-found]").Count > 0));
        return page;
    }

    private Task<IReadOnlyList<KeyService.PairView>> PairsAsync(Viewer viewer, Guid applicationId) =>
        UseAsync<KeyService, IReadOnlyList<KeyService.PairView>>(keys => keys.ListAsync(viewer, applicationId));

    [Fact]
    public async Task The_owner_sees_the_header_the_tabs_and_every_control_of_their_application()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await NewApplicationAsync(owner, "Storefront", ApplicationEnvironment.Staging);
        SignIn(owner);

        var page = RenderPage(created.Application.Id);

        Assert.Equal("Storefront", page.Find("[data-testid=application-title]").TextContent);
        Assert.Equal("H1", page.Find("[data-testid=application-title]").TagName);
        Assert.Equal("Online", page.Find("[data-testid=application-status]").TextContent.Trim());
        Assert.Equal("Staging", page.Find("[data-testid=application-environment-chip]").TextContent.Trim());
        Assert.Equal(["Overview", "Keys", "Views", "Allowlist", "Sessions", "Usage", "Audit"], TabNames(page));
        Assert.NotEmpty(page.FindAll("[data-testid=save-application]"));

        await OpenTabAsync(page, "Keys");
        page.WaitForAssertion(() => Assert.Equal("…" + created.Keys.ApplicationKey[^4..], page.Find("[data-testid=pair-application-key]").TextContent));
        Assert.Equal("…" + created.Keys.ConsumerKey[^4..], page.Find("[data-testid=pair-consumer-key]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=rotate]"));
        Assert.NotEmpty(page.FindAll("[data-testid=grace]"));
        Assert.Single(page.FindAll("[data-testid=revoke]"));
        Assert.Equal("Live", page.Find("[data-testid=pair-state]").TextContent.Trim());
        Assert.DoesNotContain(created.Keys.ApplicationKey, page.Markup);

        await OpenTabAsync(page, "Allowlist");
        page.WaitForElement("[data-testid=save-allowlist]");
    }

    [Fact]
    public async Task Support_sees_the_facts_and_no_control_nor_any_part_of_a_key_anywhere()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await NewApplicationAsync(owner, "Storefront");
        SignIn(await NewStaffAsync(Roles.Support));

        var page = RenderPage(created.Application.Id);

        Assert.Equal("Storefront", page.Find("[data-testid=application-title]").TextContent);
        Assert.Equal(["Overview", "Keys", "Views", "Allowlist", "Sessions", "Usage", "Audit"], TabNames(page));
        Assert.Contains("Development", page.Find("[data-testid=application-facts]").TextContent);
        var controls = "[data-testid=save-application], [data-testid=rotate], [data-testid=grace], [data-testid=revoke], [data-testid=save-allowlist], "
            + "[data-testid=admin-panel], [data-testid=admin-save-quota], [data-testid=admin-toggle-online], input, textarea, button[type=submit]";
        Assert.Empty(page.FindAll(controls));

        await OpenTabAsync(page, "Keys");
        page.WaitForAssertion(() => Assert.Equal("…····", page.Find("[data-testid=pair-application-key]").TextContent));
        Assert.Equal("…····", page.Find("[data-testid=pair-consumer-key]").TextContent);
        Assert.Empty(page.FindAll(controls));
        var pairCells = string.Join(" ", page.FindAll("[data-testid=key-pairs] td").Select(td => td.TextContent));
        Assert.DoesNotContain(created.Keys.ApplicationKey[^4..], pairCells);
        Assert.DoesNotContain(created.Keys.ConsumerKey[^4..], pairCells);

        await OpenTabAsync(page, "Allowlist");
        page.WaitForElement("[data-testid=allowlist-empty]");
        Assert.Empty(page.FindAll(controls));
    }

    [Fact]
    public async Task An_owner_opening_another_accounts_application_gets_not_found()
    {
        var created = await NewApplicationAsync(await NewOwnerAsync("Acme"), "Storefront");
        SignIn(await NewOwnerAsync("Evil Corp"));

        var page = RenderPage(created.Application.Id);

        Assert.NotEmpty(page.FindAll("[data-testid=not-found]"));
        Assert.Empty(page.FindAll("[data-testid=application-title]"));
        Assert.DoesNotContain("Storefront", page.Markup);
    }

    [Fact]
    public async Task An_admin_sees_the_admin_tab_and_the_owners_controls()
    {
        var created = await NewApplicationAsync(await NewOwnerAsync("Acme"), "Storefront");
        SignIn(Admin);

        var page = RenderPage(created.Application.Id);

        Assert.Equal(["Overview", "Keys", "Views", "Allowlist", "Sessions", "Usage", "Audit", "Admin"], TabNames(page));
        Assert.NotEmpty(page.FindAll("[data-testid=save-application]"));
        await OpenTabAsync(page, "Admin");
        page.WaitForElement("[data-testid=admin-panel]");
        Assert.NotEmpty(page.FindAll("[data-testid=admin-save-quota]"));
    }

    [Fact]
    public async Task The_tab_named_in_the_address_is_open_and_opening_another_puts_it_there()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var navigation = Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();

        navigation.NavigateTo($"applications/{created.Application.Id}?tab=keys");
        var page = Render<ApplicationPage>(p => p.Add(x => x.Id, created.Application.Id));

        page.WaitForAssertion(() => Assert.Equal("true", page.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Keys").GetAttribute("aria-selected")));
        page.WaitForElement("[data-testid=key-pairs]");
        await OpenTabAsync(page, "Audit");
        Assert.EndsWith("?tab=audit", navigation.Uri);
        // The Admin tab is an Admin's only: named by an owner, the first tab opens.
        navigation.NavigateTo($"applications/{created.Application.Id}?tab=admin");
        var other = Render<ApplicationPage>(p => p.Add(x => x.Id, created.Application.Id));
        other.WaitForAssertion(() => Assert.Equal("true", other.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Overview").GetAttribute("aria-selected")));
    }

    [Fact]
    public async Task Saving_the_overview_confirms_and_shows_the_saved_values_and_a_duplicate_name_is_refused_at_the_field()
    {
        var owner = await NewOwnerAsync("Acme");
        await NewApplicationAsync(owner, "Backoffice");
        var created = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var page = RenderPage(created.Application.Id);

        Input(page, "application-name").Input("backoffice");
        await page.Find("[data-testid=save-application]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("already exists in this account", page.Find("[data-testid=overview-form]").TextContent));
        Assert.Equal("Storefront", page.Find("[data-testid=application-title]").TextContent);

        Input(page, "application-name").Input("Storefront EU");
        await page.Find("[data-testid=save-application]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Storefront EU", page.Find("[data-testid=application-title]").TextContent));
        Assert.Equal("Storefront EU", Input(page, "application-name").GetAttribute("value"));
        Snackbars.WaitForAssertion(() => Assert.Contains("Saved.", Snackbars.Markup));
    }

    [Fact]
    public async Task Rotating_asks_first_and_issues_keys_only_when_confirmed_then_shows_them_once()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var page = RenderPage(created.Application.Id);
        await OpenTabAsync(page, "Keys");

        // Not awaited: the click's handler waits for the confirmation.
        page.WaitForElement("[data-testid=rotate]").Click();
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("keep working for 1 hour", DialogHost.Markup);
        Assert.Contains("mud-button-filled-primary", confirm.ClassName);
        await DialogHost.Find("[data-testid=confirm-cancel]").ClickAsync(new());
        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll("[data-testid=confirm]")));
        Assert.Single(await PairsAsync(owner, created.Application.Id));
        Assert.Empty(DialogHost.FindAll("[data-testid=one-time-secret-dialog]"));

        page.Find("[data-testid=rotate]").Click();
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());

        var newKey = DialogHost.WaitForElement("[data-testid=issued-application-key]").TextContent;
        Assert.NotEqual(created.Keys.ApplicationKey, newKey);
        Assert.Empty(DialogHost.FindAll(".mud-button-close"));
        var pairs = await PairsAsync(owner, created.Application.Id);
        Assert.Equal(2, pairs.Count);
        Assert.Equal(newKey[^4..], pairs[0].ApplicationKeyLast4);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=pair-state]").Count));
        Assert.Equal("Live", page.FindAll("[data-testid=pair-state]")[0].TextContent.Trim());
        Assert.StartsWith("Live until ", page.FindAll("[data-testid=pair-state]")[1].TextContent.Trim());

        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll("[data-testid=one-time-secret-dialog]")));
        Assert.DoesNotContain(newKey, page.Markup);
    }

    [Fact]
    public async Task Rotating_immediately_warns_in_the_danger_colour_that_the_current_pairs_stop_at_once()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var page = RenderPage(created.Application.Id);
        await OpenTabAsync(page, "Keys");

        await ChooseAsync(page, "grace", "Immediately");
        page.WaitForAssertion(() => Assert.Contains("mud-button-filled-error", page.Find("[data-testid=rotate]").ClassName));
        page.Find("[data-testid=rotate]").Click();

        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("stop working at once", DialogHost.Markup);
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        await confirm.ClickAsync(new());

        DialogHost.WaitForElement("[data-testid=issued-application-key]");
        page.WaitForAssertion(() => Assert.StartsWith("Expired ", page.FindAll("[data-testid=pair-state]")[1].TextContent.Trim()));
        Assert.Single(page.FindAll("[data-testid=revoke]"));
    }

    [Fact]
    public async Task Revoking_confirms_in_the_danger_colour_and_then_the_pair_shows_revoked()
    {
        var owner = await NewOwnerAsync("Acme");
        var created = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var page = RenderPage(created.Application.Id);
        await OpenTabAsync(page, "Keys");

        page.WaitForElement("[data-testid=revoke]").Click();
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        Assert.Equal("Revoke", confirm.TextContent.Trim());
        Assert.Contains("…" + created.Keys.ApplicationKey[^4..], DialogHost.Markup);
        await confirm.ClickAsync(new());

        page.WaitForAssertion(() => Assert.StartsWith("Revoked ", page.Find("[data-testid=pair-state]").TextContent.Trim()));
        Assert.Contains($"by {owner.Name}", page.Find("[data-testid=pair-state]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=revoke]"));
        Assert.False((await PairsAsync(owner, created.Application.Id))[0].IsLive);
    }
}
