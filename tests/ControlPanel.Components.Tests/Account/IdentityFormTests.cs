using ControlPanel.Domain;
using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Account;
using ControlPanel.Web.Components.Account.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPanel.Components.Tests.Account;

/// <summary>The sign-up, setup and invitation forms: password rules stated up front and human messages at the fields.</summary>
public sealed class IdentityFormTests : ComponentTest
{
    private const string DefaultRules = "At least 10 characters, with an upper-case letter, a lower-case letter and a digit.";

    /// <summary>
    /// A minimum length other than the default, set where AccountSecurity:MinimumPasswordLength lands (Identity's options),
    /// so the rule text, the check at the field and Identity's own check all see it.
    /// </summary>
    private void UseMinimumPasswordLength(int length) =>
        Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Password.RequiredLength = length;

    private void Open(string address) => Context.Services.GetRequiredService<NavigationManager>().NavigateTo(address);

    [Fact]
    public async Task Register_states_the_password_rules_before_anything_is_typed_and_words_every_message_for_people()
    {
        var page = Render<Register>();
        Assert.Equal(DefaultRules, page.Find("[data-testid=password-rules]").TextContent);
        Assert.Empty(page.FindAll(".validation-message"));

        await page.Find("form").SubmitAsync();

        var messages = page.FindAll(".validation-message").Select(m => m.TextContent).ToList();
        Assert.Equal(["Enter your organisation's name.", "Enter your name.", "Enter your email address.", "Choose a password."], messages);
    }

    [Fact]
    public async Task Register_refuses_a_bad_email_and_a_short_password_at_their_fields()
    {
        var page = Render<Register>();
        page.Find("[data-testid=account-name]").Change("Acme Ltd");
        page.Find("[data-testid=display-name]").Change("Olivia");
        page.Find("[data-testid=email]").Change("olivia-at-acme");
        page.Find("[data-testid=password]").Change("Short-1");
        page.Find("[data-testid=confirm-password]").Change("Short-2");

        await page.Find("form").SubmitAsync();

        var messages = page.FindAll(".validation-message").Select(m => m.TextContent).ToList();
        Assert.Equal(["Enter a valid email address.", "Use at least 10 characters.", "The passwords do not match."], messages);
        // Each message sits in the field it is about.
        Assert.NotNull(page.Find("[data-testid=password]").Closest(".cp-static-field")!.QuerySelector(".validation-message"));
    }

    [Fact]
    public async Task Registering_a_new_email_and_an_already_registered_one_end_alike_on_the_sign_in_page_signed_out()
    {
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        var answers = new List<string>();
        foreach (var organisation in new[] { "Acme Ltd", "Acme Ltd" })
        {
            navigation.NavigateTo("Account/Register");
            var page = Render<Register>();
            page.Find("[data-testid=account-name]").Change(organisation);
            page.Find("[data-testid=display-name]").Change("Olivia");
            page.Find("[data-testid=email]").Change("olivia@acme.test");
            page.Find("[data-testid=password]").Change("Owner-password-1");
            page.Find("[data-testid=confirm-password]").Change("Owner-password-1");
            await page.Find("form").SubmitAsync();
            // Where the browser is sent and what the form shows; the renderer's event-handler numbers aside.
            answers.Add($"{new Uri(navigation.Uri).PathAndQuery} {System.Text.RegularExpressions.Regex.Replace(page.Markup, "blazor:[a-z]+=\"\\d+\"", "")}");
        }

        Assert.Equal(answers[0], answers[1]);
        Assert.StartsWith("/Account/Login?registered=1 ", answers[0]);
        var owners = await UseAsync<UserManager<ControlPanelUser>, IList<ControlPanelUser>>(users => users.GetUsersInRoleAsync(Roles.Owner));
        Assert.Single(owners, o => o.Email == "olivia@acme.test");
    }

    [Fact]
    public async Task A_configured_minimum_password_length_is_stated_and_enforced()
    {
        UseMinimumPasswordLength(14);
        var page = Render<Register>();
        Assert.StartsWith("At least 14 characters,", page.Find("[data-testid=password-rules]").TextContent);

        page.Find("[data-testid=password]").Change("Twelve-chars");
        await page.Find("form").SubmitAsync();
        Assert.Contains("Use at least 14 characters.", page.FindAll(".validation-message").Select(m => m.TextContent));

        page.Find("[data-testid=password]").Change("Fourteen-chars1");
        await page.Find("form").SubmitAsync();
        Assert.DoesNotContain(page.FindAll(".validation-message"), m => m.TextContent.Contains("characters"));
    }

    [Fact]
    public void The_password_rules_follow_the_account_security_settings()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["AccountSecurity:MinimumPasswordLength"] = "14";
        builder.Configuration["AccountSecurity:InvitationLinkHours"] = "5";
        builder.Services.AddControlPanelDomain();
        builder.AddControlPanelIdentity();
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(14, services.GetRequiredService<PasswordRules>().MinimumLength);
        Assert.Equal(14, services.GetRequiredService<IOptions<IdentityOptions>>().Value.Password.RequiredLength);
        Assert.Equal(TimeSpan.FromHours(5), services.GetRequiredService<IOptions<DataProtectionTokenProviderOptions>>().Value.TokenLifespan);
    }

    [Fact]
    public void Setup_is_closed_once_an_admin_exists()
    {
        // The components' Admin comes from configuration, so no setup token waits (the browser tests cover the open form).
        var page = Render<Setup>();
        Assert.NotNull(page.Find("[data-testid=setup-closed]"));
        Assert.Empty(page.FindAll("[data-testid=setup-token]"));
    }

    [Fact]
    public async Task An_invitation_link_says_whose_account_it_is_and_states_the_password_rules()
    {
        var (_, invitation) = await UseAsync<StaffInvitations, (IdentityResult, StaffInvitations.Invitation?)>(i =>
            i.InviteAsync(Admin, new StaffInvitations.Form { Email = "sam@components.test", DisplayName = "Sam", Role = Roles.Support }));
        UseMinimumPasswordLength(16);
        Open($"Account/AcceptInvitation?userId={invitation!.UserId}&token={Uri.EscapeDataString(invitation.Token)}");

        var page = Render<AcceptInvitation>();

        page.WaitForElement("[data-testid=invitation-for]");
        Assert.Contains("sam@components.test", page.Find("[data-testid=invitation-for]").TextContent);
        Assert.Contains("Support", page.Find("[data-testid=invitation-for]").TextContent);
        Assert.StartsWith("At least 16 characters", page.Find("[data-testid=password-rules]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=invitation-unusable]"));

        page.Find("[data-testid=password]").Change("Fifteen-chars-1");
        await page.Find("form").SubmitAsync();
        Assert.Contains("Use at least 16 characters.", page.Find(".validation-message").TextContent);
    }

    [Fact]
    public async Task A_used_invitation_link_says_so_as_soon_as_it_opens()
    {
        var (_, invitation) = await UseAsync<StaffInvitations, (IdentityResult, StaffInvitations.Invitation?)>(i =>
            i.InviteAsync(Admin, new StaffInvitations.Form { Email = "sam@components.test", DisplayName = "Sam", Role = Roles.Support }));
        Assert.True((await UseAsync<StaffInvitations, IdentityResult>(i => i.AcceptAsync(invitation!.UserId, invitation.Token, Password))).Succeeded);
        Open($"Account/AcceptInvitation?userId={invitation!.UserId}&token={Uri.EscapeDataString(invitation.Token)}");

        var page = Render<AcceptInvitation>();

        Assert.Contains("already used", page.WaitForElement("[data-testid=invitation-unusable]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=password]"));
        Assert.DoesNotContain("sam@components.test", page.Markup);
    }

    [Fact]
    public async Task A_replaced_or_revoked_invitation_link_says_so_as_soon_as_it_opens()
    {
        var (_, first) = await UseAsync<StaffInvitations, (IdentityResult, StaffInvitations.Invitation?)>(i =>
            i.InviteAsync(Admin, new StaffInvitations.Form { Email = "sam@components.test", DisplayName = "Sam", Role = Roles.Support }));
        var second = await UseAsync<StaffInvitations, StaffInvitations.Invitation>(i => i.ResendAsync(Admin, first!.UserId));
        Open($"Account/AcceptInvitation?userId={first!.UserId}&token={Uri.EscapeDataString(first.Token)}");
        var replaced = Render<AcceptInvitation>();
        Assert.Contains("replaced by a newer one", replaced.WaitForElement("[data-testid=invitation-unusable]").TextContent);
        Assert.Empty(replaced.FindAll("[data-testid=password]"));

        await UseAsync<StaffInvitations, bool>(async i => { await i.RevokeAsync(Admin, second.UserId); return true; });
        Open($"Account/AcceptInvitation?userId={second.UserId}&token={Uri.EscapeDataString(second.Token)}");
        var revoked = Context.Render<AcceptInvitation>();
        Assert.Contains("not valid", revoked.WaitForElement("[data-testid=invitation-unusable]").TextContent);
    }

    [Fact]
    public void Sign_in_words_its_messages_for_people()
    {
        var page = Render<Login>();
        page.Find("[data-testid=email]").Change("not-an-email");
        page.Find("form").Submit();

        var messages = page.FindAll(".validation-message").Select(m => m.TextContent).ToList();
        Assert.Equal(["Enter a valid email address.", "Enter your password."], messages);
        Assert.NotNull(page.Find("[data-testid=sign-in]"));
    }
}
