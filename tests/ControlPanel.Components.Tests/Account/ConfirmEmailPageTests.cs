using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Account.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Account;

/// <summary>The page a confirmation link opens: anyone may open it (the link is the proof), signed in or not.</summary>
public sealed class ConfirmEmailPageTests : ComponentTest
{
    private void Open(string address) => Context.Services.GetRequiredService<NavigationManager>().NavigateTo(address);

    [Fact]
    public async Task A_good_link_confirms_the_address_and_a_bad_one_says_how_to_get_another()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        Open($"Account/ConfirmEmail?userId={owner.UserId}&token=made-up");
        Render<ConfirmEmail>().WaitForElement("[data-testid=confirmation-unusable]");

        var token = await UseAsync<UserManager<ControlPanelUser>, string>(async users =>
            await users.GenerateEmailConfirmationTokenAsync((await users.FindByIdAsync(owner.UserId))!));
        Open($"Account/ConfirmEmail?userId={owner.UserId}&token={Uri.EscapeDataString(token)}");
        var page = Render<ConfirmEmail>();

        page.WaitForElement("[data-testid=email-confirmed]");
        Assert.True(await UseAsync<EmailConfirmation, bool>(async c => (await c.StatusAsync(owner)).Confirmed));
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Support)]
    public async Task Staff_signed_in_opening_an_owners_link_confirm_only_that_owner(string role)
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        SignIn(role == Roles.Admin ? Admin : await NewStaffAsync(role));
        var token = await UseAsync<UserManager<ControlPanelUser>, string>(async users =>
            await users.GenerateEmailConfirmationTokenAsync((await users.FindByIdAsync(owner.UserId))!));
        Open($"Account/ConfirmEmail?userId={owner.UserId}&token={Uri.EscapeDataString(token)}");

        Render<ConfirmEmail>().WaitForElement("[data-testid=email-confirmed]");
        Assert.True(await UseAsync<EmailConfirmation, bool>(async c => (await c.StatusAsync(owner)).Confirmed));
    }
}
