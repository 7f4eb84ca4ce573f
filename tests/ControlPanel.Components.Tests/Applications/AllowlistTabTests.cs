using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Origins;
using ControlPanel.Web.Components.Pages.Applications;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Components.Tests.Applications;

public sealed class AllowlistTabTests : ApplicationTest
{
    [Fact]
    public async Task The_owner_sees_the_normalised_list_and_the_editor()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        await UseAsync<AllowlistService, AllowlistService.SaveResult>(allowlists =>
            allowlists.SaveAsync(owner, application.Application.Id, "HTTPS://App.Example.COM:443/\n10.1.2.3/8\n10.0.0.0/8"));
        SignIn(owner);

        var tab = Render<AllowlistTab>(p => p.Add(t => t.ApplicationId, application.Application.Id).Add(t => t.CanChange, true));

        tab.WaitForAssertion(() => Assert.Equal(["https://app.example.com", "10.0.0.0/8"], tab.FindAll("[data-testid=allowlist-entry]").Select(e => e.TextContent)));
        Assert.Equal("https://app.example.com\n10.0.0.0/8", InputIn(tab.Find("[data-testid=allowlist-text]")).GetAttribute("value") ?? InputIn(tab.Find("[data-testid=allowlist-text]")).TextContent);
        Assert.NotEmpty(tab.FindAll("[data-testid=save-allowlist]"));
    }

    [Fact]
    public async Task The_owner_chooses_whether_origin_and_address_must_both_match_and_sees_what_each_kind_stops()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var tab = Render<AllowlistTab>(p => p.Add(t => t.ApplicationId, application.Application.Id).Add(t => t.CanChange, true));
        tab.WaitForElement("[data-testid=allowlist-empty]");
        var kinds = tab.Find("[data-testid=allowlist-kinds]").TextContent;
        Assert.Contains("stops other web pages", kinds);
        Assert.Contains("stops other servers", kinds);

        InputIn(tab.Find("[data-testid=allowlist-text]")).Change("https://shop.example.com\n198.51.100.0/24");
        InputIn(tab.Find("[data-testid=allowlist-requires-both]")).Change(true);
        await tab.Find("[data-testid=save-allowlist]").ClickAsync(new());

        tab.WaitForAssertion(() => Assert.Contains("must match a URL origin and an IP address", tab.Find("[data-testid=allowlist-rule]").TextContent));
        var stored = await UseAsync<AllowlistService, AllowlistService.Stored>(allowlists => allowlists.GetAsync(owner, application.Application.Id));
        Assert.True(stored.RequiresBoth);
        Assert.Equal(["https://shop.example.com", "198.51.100.0/24"], stored.Lines);
    }

    [Fact]
    public async Task Support_sees_the_list_without_the_editor()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        await UseAsync<AllowlistService, AllowlistService.SaveResult>(allowlists => allowlists.SaveAsync(owner, application.Application.Id, "203.0.113.7"));
        SignIn(await NewStaffAsync(Roles.Support));

        var tab = Render<AllowlistTab>(p => p.Add(t => t.ApplicationId, application.Application.Id).Add(t => t.CanChange, false));

        tab.WaitForAssertion(() => Assert.Equal("203.0.113.7", tab.Find("[data-testid=allowlist-entry]").TextContent));
        Assert.Contains("Either kind admits", tab.Find("[data-testid=allowlist-rule]").TextContent);
        Assert.Empty(tab.FindAll("[data-testid=allowlist-requires-both]"));
        Assert.Empty(tab.FindAll("[data-testid=save-allowlist]"));
        Assert.Empty(tab.FindAll("[data-testid=allowlist-text]"));
        Assert.Empty(tab.FindAll("textarea"));
    }

    [Fact]
    public async Task Invalid_lines_are_listed_one_by_one_and_nothing_is_saved()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var tab = Render<AllowlistTab>(p => p.Add(t => t.ApplicationId, application.Application.Id).Add(t => t.CanChange, true));
        tab.WaitForElement("[data-testid=allowlist-empty]");

        InputIn(tab.Find("[data-testid=allowlist-text]")).Change("https://ok.example.com\nnot an origin\n300.1.1.1");
        await tab.Find("[data-testid=save-allowlist]").ClickAsync(new());

        tab.WaitForAssertion(() =>
        {
            var errors = tab.FindAll("[data-testid=allowlist-error]").Select(e => e.TextContent).ToList();
            Assert.Equal(2, errors.Count);
            Assert.StartsWith("Line 2 (not an origin): ", errors[0]);
            Assert.StartsWith("Line 3 (300.1.1.1): ", errors[1]);
        });
        Assert.Contains("Nothing was saved", tab.Find("[data-testid=allowlist-errors]").TextContent);
        Assert.NotEmpty(tab.FindAll("[data-testid=allowlist-empty]"));
        Assert.Empty((await UseAsync<AllowlistService, AllowlistService.Stored>(allowlists => allowlists.GetAsync(owner, application.Application.Id))).Lines);
    }

    [Fact]
    public async Task A_saved_list_is_shown_as_stored_with_a_confirmation()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        SignIn(owner);
        var tab = Render<AllowlistTab>(p => p.Add(t => t.ApplicationId, application.Application.Id).Add(t => t.CanChange, true));
        tab.WaitForElement("[data-testid=allowlist-empty]");

        InputIn(tab.Find("[data-testid=allowlist-text]")).Change("HTTPS://Shop.Example.COM\n\n198.51.100.0/24\nhttps://shop.example.com");
        await tab.Find("[data-testid=save-allowlist]").ClickAsync(new());

        tab.WaitForAssertion(() => Assert.Equal(["https://shop.example.com", "198.51.100.0/24"], tab.FindAll("[data-testid=allowlist-entry]").Select(e => e.TextContent)));
        Snackbars.WaitForAssertion(() => Assert.Contains("Saved. The list is in force for the next call.", Snackbars.Markup));
        Assert.Empty(tab.FindAll("[data-testid=allowlist-error]"));
        Assert.Equal(["https://shop.example.com", "198.51.100.0/24"],
            (await UseAsync<AllowlistService, AllowlistService.Stored>(allowlists => allowlists.GetAsync(owner, application.Application.Id))).Lines);
    }

    [Fact]
    public async Task A_stored_line_that_no_longer_parses_is_shown_with_the_refusal_it_causes()
    {
        var owner = await NewOwnerAsync("Acme");
        var application = await NewApplicationAsync(owner, "Storefront");
        await UseAsync<AllowlistService, AllowlistService.SaveResult>(allowlists => allowlists.SaveAsync(owner, application.Application.Id, "203.0.113.7"));
        // As if the rules had tightened since the list was saved, or the row was edited by hand.
        await UseAsync<IDbContextFactory<ControlPanelDbContext>, int>(async databases =>
        {
            await using var db = await databases.CreateDbContextAsync();
            return await db.Applications.Where(a => a.Id == application.Application.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.AllowedOrigins, "203.0.113.7\n10.0.0.0/33"));
        });
        SignIn(owner);

        var tab = Render<AllowlistTab>(p => p.Add(t => t.ApplicationId, application.Application.Id).Add(t => t.CanChange, true));

        tab.WaitForAssertion(() => Assert.StartsWith("Line 2 (10.0.0.0/33): ", tab.Find("[data-testid=allowlist-unreadable-line]").TextContent));
        Assert.Contains("every call is refused with error 111", tab.Find("[data-testid=allowlist-unreadable]").TextContent);
        Assert.NotEmpty(tab.FindAll("[data-testid=allowlist-refusing]"));
        Assert.Empty(tab.FindAll("[data-testid=allowlist-entry]"));
    }
}
