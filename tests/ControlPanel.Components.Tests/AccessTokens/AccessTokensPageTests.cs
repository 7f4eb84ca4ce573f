using System.Reflection;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Web.Components.Pages.AccessTokens;
using Microsoft.AspNetCore.Authorization;

namespace ControlPanel.Components.Tests.AccessTokens;

public sealed class AccessTokensPageTests : ComponentTest
{
    private Task<IReadOnlyList<AccessTokenService.Row>> TokensOfAsync(Viewer viewer) =>
        UseAsync<AccessTokenService, IReadOnlyList<AccessTokenService.Row>>(t => t.ListAsync(viewer));

    [Fact]
    public void Anyone_signed_in_reaches_the_page_and_the_domain_decides()
    {
        // A member's role is per account, not an Identity role: the page asks the domain (AccessTokenService.CanHaveTokens).
        var authorize = typeof(AccessTokensPage).GetCustomAttribute<AuthorizeAttribute>();
        Assert.NotNull(authorize);
        Assert.Null(authorize.Roles);
    }

    [Fact]
    public async Task A_member_with_the_viewer_role_gets_not_found_and_a_developer_makes_tokens()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(await NewMemberAsync(owner, Roles.Viewer));
        var page = Render<AccessTokensPage>();
        page.WaitForAssertion(() => Assert.Contains("not found", page.Markup, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(page.FindAll("[data-testid=create-token]"));

        SignIn(await NewMemberAsync(owner, Roles.Developer));
        page = Render<AccessTokensPage>();
        page.WaitForElement("[data-testid=no-tokens]");
    }

    [Fact]
    public async Task Support_reaching_the_page_gets_not_found_and_no_form()
    {
        SignIn(await NewStaffAsync(Roles.Support));
        var page = Render<AccessTokensPage>();

        page.WaitForAssertion(() => Assert.Contains("not found", page.Markup, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(page.FindAll("[data-testid=create-token]"));
        Assert.Empty(page.FindAll("[data-testid=tokens-grid]"));
    }

    [Fact]
    public async Task An_owner_creates_a_token_sees_it_once_and_then_only_its_hint()
    {
        var owner = await NewOwnerAsync("Initech");
        SignIn(owner);
        var page = Render<AccessTokensPage>();
        page.WaitForElement("[data-testid=no-tokens]");

        page.Find("input[data-testid=token-name]").Input("deploy pipeline");
        var submit = page.Find("form").SubmitAsync();
        var shown = DialogHost.WaitForElement("[data-testid=issued-access-token]").TextContent;
        Assert.Matches("^cpat_[0-9a-f]{48}$", shown);
        Assert.NotEmpty(DialogHost.FindAll("[data-testid=one-time-secret-dialog] [data-testid=copy]"));
        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        await submit;

        // The form is empty again, with no "Enter a name." for the field it just emptied.
        Assert.Empty(page.Find("[data-testid=new-token-card] form").QuerySelectorAll(".mud-input-error, .validation-message"));
        Assert.DoesNotContain("Enter a name.", page.Find("[data-testid=new-token-card]").TextContent);
        Assert.Equal("", page.Find("input[data-testid=token-name]").GetAttribute("value") ?? "");
        var row = Assert.Single(page.FindAll("[data-testid=tokens-grid] tbody tr"));
        Assert.Equal("deploy pipeline", row.QuerySelector("[data-testid=token-row-name]")!.TextContent);
        Assert.Equal($"cpat_…{shown[^4..]}", row.QuerySelector("[data-testid=token-hint]")!.TextContent);
        Assert.Equal("Read-only", row.QuerySelector("[data-testid=token-row-scope]")!.TextContent.Trim());
        Assert.Equal("Never", row.QuerySelector("[data-testid=token-last-used]")!.TextContent);
        Assert.DoesNotContain(shown, page.Markup);
        // The default expiry is 90 days.
        Assert.Contains((DateTime.UtcNow.AddDays(90)).ToString("yyyy-MM-dd"), row.TextContent);

        var authenticated = await UseAsync<AccessTokenService, AccessTokenService.Authentication>(t => t.AuthenticateAsync(shown, null));
        Assert.Equal(owner.UserId, authenticated.Use!.Viewer.UserId);
        Assert.True(authenticated.Use.ReadOnly);
        var audit = await UseAsync<AuditLog, AuditLog.Page>(log => log.SearchAsync(owner, new AuditLog.Filter(Action: AuditActions.AccessTokenCreated)));
        Assert.Contains("\"deploy pipeline\"", Assert.Single(audit.Entries).Changes);
    }

    [Fact]
    public async Task A_token_without_a_name_is_refused_at_the_field()
    {
        SignIn(await NewOwnerAsync("Initech"));
        var page = Render<AccessTokensPage>();
        page.Find("input[data-testid=token-name]").Input("");
        await page.Find("form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("Enter a name.", page.Markup));
        Assert.Empty(DialogHost.FindAll("[data-testid=issued-access-token]"));
    }

    [Fact]
    public async Task An_admin_revokes_a_token_after_confirming_and_it_stops_working()
    {
        var issued = await UseAsync<AccessTokenService, IssuedAccessToken>(t => t.CreateAsync(Admin,
            new AccessTokenService.Form { Name = "platform", Scope = AccessTokenScope.ReadWrite, Expiry = AccessTokenExpiry.Never }));
        SignIn(Admin);
        var page = Render<AccessTokensPage>();
        var row = page.WaitForElement("[data-testid=tokens-grid] tbody tr");
        Assert.Equal("Read and write", row.QuerySelector("[data-testid=token-row-scope]")!.TextContent.Trim());

        var click = page.Find("[data-testid=revoke-token]").ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains("stops working at once", DialogHost.Markup);
        await confirm.ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Assert.Equal("Revoked", page.Find("[data-testid=token-state]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=revoke-token]"));
        Assert.Equal(AccessTokenService.Refusal.Revoked,
            (await UseAsync<AccessTokenService, AccessTokenService.Authentication>(t => t.AuthenticateAsync(issued.Token, null))).Refused);
    }

    [Fact]
    public async Task An_owner_sees_only_their_own_tokens_with_their_last_use()
    {
        var owner = await NewOwnerAsync("Initech");
        var other = await NewOwnerAsync("Globex");
        var mine = await UseAsync<AccessTokenService, IssuedAccessToken>(t => t.CreateAsync(owner, new AccessTokenService.Form { Name = "mine" }));
        await UseAsync<AccessTokenService, IssuedAccessToken>(t => t.CreateAsync(other, new AccessTokenService.Form { Name = "theirs" }));
        await UseAsync<AccessTokenAdmission, AccessTokenAdmission.Result>(a => a.AdmitAsync(mine.Token, null));

        SignIn(owner);
        var page = Render<AccessTokensPage>();
        var row = page.WaitForElement("[data-testid=tokens-grid] tbody tr");
        Assert.Single(page.FindAll("[data-testid=tokens-grid] tbody tr"));
        Assert.Equal("mine", row.QuerySelector("[data-testid=token-row-name]")!.TextContent);
        var lastUse = (await TokensOfAsync(owner)).Single().LastUsedAt!.Value;
        Assert.Equal(lastUse.ToString("yyyy-MM-dd HH:mm") + " UTC", row.QuerySelector("[data-testid=token-last-used]")!.TextContent);
        Assert.DoesNotContain("theirs", page.Markup);
    }
}
