using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Tests.Shared;

public sealed class LayoutTests : ComponentTest
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        // The layout brings its own dialog, popover and snackbar hosts.
        Context.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1>Body</h1>"))));

    [Fact]
    public async Task A_signed_in_owner_sees_their_name_a_sign_out_button_and_no_staff_pages()
    {
        SignIn(await NewOwnerAsync("Initech"));

        var layout = RenderLayout();

        Assert.Equal("Owner of Initech", layout.Find("[data-testid=user-name]").TextContent);
        var signOut = layout.Find("[data-testid=sign-out]");
        Assert.Equal("submit", signOut.GetAttribute("type"));
        Assert.Contains("Sign out", signOut.TextContent);
        Assert.Empty(layout.FindAll("a[href='staff']"));
        Assert.Empty(layout.FindAll("a[href='admin/accounts']"));
        Assert.NotEmpty(layout.FindAll("a[href='applications']"));
        Assert.NotEmpty(layout.FindAll("a[href='access-tokens']"));
    }

    [Fact]
    public async Task Support_sees_the_quota_overview_but_not_accounts_or_staff()
    {
        SignIn(await NewStaffAsync(Roles.Support));

        var layout = RenderLayout();

        Assert.NotEmpty(layout.FindAll("a[href='admin/overview']"));
        Assert.Empty(layout.FindAll("a[href='admin/accounts']"));
        Assert.Empty(layout.FindAll("a[href='staff']"));
        // Support changes nothing, so it has no access tokens either.
        Assert.Empty(layout.FindAll("a[href='access-tokens']"));
    }

    [Fact]
    public void An_admin_sees_every_staff_page()
    {
        SignIn(Admin);

        var layout = RenderLayout();

        Assert.NotEmpty(layout.FindAll("a[href='admin/accounts']"));
        Assert.NotEmpty(layout.FindAll("a[href='staff']"));
        Assert.NotEmpty(layout.FindAll("a[href='access-tokens']"));
    }

    [Fact]
    public void Nobody_signed_in_gets_sign_in_and_register_and_no_menu()
    {
        var layout = RenderLayout();

        Assert.Empty(layout.FindAll("[data-testid=sign-out]"));
        Assert.Empty(layout.FindAll("[data-testid=menu]"));
        Assert.NotEmpty(layout.FindAll("a[href='Account/Login']"));
    }

    [Fact]
    public async Task The_dark_mode_toggle_switches_the_theme_and_remembers_the_choice()
    {
        SignIn(await NewOwnerAsync("Initech"));
        var layout = RenderLayout();
        Assert.Equal("Switch to dark mode", layout.Find("[data-testid=dark-mode]").GetAttribute("aria-label"));

        await layout.Find("[data-testid=dark-mode]").ClickAsync(new());

        Assert.Equal("Switch to light mode", layout.Find("[data-testid=dark-mode]").GetAttribute("aria-label"));
        var remembered = Context.JSInterop.Invocations["controlPanel.rememberThemeMode"];
        Assert.Equal("dark", Assert.Single(remembered).Arguments[0]);
    }
}
