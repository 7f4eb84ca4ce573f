using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Web.Components.Account.Pages;
using ControlPanel.Web.Components.Pages.Admin;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Account;

/// <summary>"Forgot password?", the reset page, and the Admin's reset buttons, per role.</summary>
public sealed class PasswordRecoveryPagesTests : ComponentTest
{
    private const string NewPassword = "Brand-new-password-2";

    private NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    private Task<List<OutboxMail>> OutboxAsync() =>
        UseAsync<ControlPanelDbContext, List<OutboxMail>>(db => db.OutboxMails.AsNoTracking().ToListAsync());

    private Task<string?> EmailOfAsync(Viewer viewer) =>
        UseAsync<UserManager<ControlPanelUser>, string?>(async users => (await users.FindByIdAsync(viewer.UserId))!.Email);

    [Fact]
    public void The_sign_in_page_offers_forgot_password()
    {
        var page = Render<Login>();
        Assert.Equal("Account/ForgotPassword", page.Find("[data-testid=forgot-password]").GetAttribute("href"));
    }

    [Fact]
    public async Task Asking_for_a_reset_answers_alike_whether_or_not_the_address_has_an_account()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        var email = (await EmailOfAsync(owner))!;
        var answers = new List<string>();
        foreach (var address in new[] { email, "nobody@components.test" })
        {
            var page = Render<ForgotPassword>();
            page.Find("[data-testid=email]").Change(address);
            await page.Find("form").SubmitAsync();
            answers.Add(page.Find("[data-testid=reset-requested]").TextContent.Replace(address, "ADDRESS"));
        }

        Assert.Equal(answers[0], answers[1]);
        Assert.Contains("1 hour", answers[0]);
        // One row each (the same work), but only the account's is ever sent.
        var mail = Assert.Single(await OutboxAsync(), m => m.FailedAt is null);
        Assert.Equal(email, mail.To);
        Assert.Equal(MailKinds.PasswordReset, mail.Kind);
        Assert.Equal(2, (await OutboxAsync()).Count);
    }

    [Fact]
    public async Task A_bad_reset_link_says_so_at_once_and_a_good_one_sets_the_password_and_sends_to_sign_in()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        Navigation.NavigateTo($"Account/ResetPassword?userId={owner.UserId}&token=made-up");
        var bad = Render<ResetPassword>();
        bad.WaitForElement("[data-testid=reset-unusable]");
        Assert.Empty(bad.FindAll("[data-testid=password]"));

        var sent = await UseAsync<PasswordRecovery, PasswordRecovery.SentReset>(r => r.SendByAdminAsync(Admin, owner.UserId));
        Navigation.NavigateTo(sent.Link.PathAndQuery.TrimStart('/'));
        var page = Render<ResetPassword>();
        page.WaitForElement("[data-testid=password]");
        Assert.Empty(page.FindAll("[data-testid=reset-unusable]"));
        page.Find("[data-testid=password]").Change(NewPassword);
        page.Find("[data-testid=confirm-password]").Change(NewPassword);
        await page.Find("form").SubmitAsync();

        Assert.Equal("/Account/Login?passwordReset=1", new Uri(Navigation.Uri).PathAndQuery);
        Assert.True(await UseAsync<UserManager<ControlPanelUser>, bool>(async users => await users.CheckPasswordAsync((await users.FindByIdAsync(owner.UserId))!, NewPassword)));
    }

    [Fact]
    public async Task An_admin_sends_an_owner_a_reset_and_without_a_mail_server_is_shown_the_link_once()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        var email = (await EmailOfAsync(owner))!;
        SignIn(Admin);
        var page = Render<AdminAccounts>();

        var click = page.WaitForElement("[data-testid=send-reset]").ClickAsync(new());
        var confirm = DialogHost.WaitForElement("[data-testid=confirm]");
        Assert.Contains(email, DialogHost.Markup);
        await confirm.ClickAsync(new());
        var link = DialogHost.WaitForElement("[data-testid=reset-link-0]").TextContent;
        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        await click;

        var mail = Assert.Single(await OutboxAsync());
        Assert.Equal(email, mail.To);
        Assert.Contains(link, mail.TextBody);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query);
        Assert.True(await UseAsync<PasswordRecovery, bool>(r => r.IsValidAsync(query["userId"], query["token"])));
    }

    [Fact]
    public async Task An_admin_sends_a_staff_member_a_reset_from_the_staff_page()
    {
        var support = await NewStaffAsync(Roles.Support);
        SignIn(Admin);
        var page = Render<ControlPanel.Web.Components.Pages.Staff.Staff>();

        var row = page.WaitForElements("[data-testid=staff-grid] tbody tr").Single(r => r.TextContent.Contains("Support person"));
        var click = row.QuerySelector("[data-testid=send-reset]")!.ClickAsync(new());
        await DialogHost.WaitForElement("[data-testid=confirm]").ClickAsync(new());
        DialogHost.WaitForElement("[data-testid=reset-link-0]");
        await DialogHost.Find("[data-testid=dismiss-secrets]").ClickAsync(new());
        await click;

        Assert.Contains(await OutboxAsync(), m => m.Kind == MailKinds.PasswordReset && m.UserId == support.UserId);
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Owner)]
    public async Task Nobody_but_an_admin_sees_or_may_use_the_reset_buttons(string role)
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        var viewer = role == Roles.Owner ? owner : await NewStaffAsync(role);
        SignIn(viewer);

        Assert.Empty(Render<AdminAccounts>().FindAll("[data-testid=send-reset]"));
        Assert.Empty(Render<ControlPanel.Web.Components.Pages.Staff.Staff>().FindAll("[data-testid=send-reset]"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => UseAsync<PasswordRecovery, PasswordRecovery.SentReset>(r => r.SendByAdminAsync(viewer, owner.UserId)));
    }
}
