using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

public class EmailConfirmationTests
{
    private static async Task<(IdentityTestServices Services, Viewer Owner)> RegisterAsync(bool required)
    {
        var services = await IdentityTestServices.CreateAsync(requireConfirmedEmail: required);
        await services.EnsureRolesAsync();
        var owner = await services.RegisterOwnerAsync();
        return (services, new Viewer(owner.Id, owner.DisplayName, Roles.Owner, owner.AccountId));
    }

    private static ApplicationService.Form Storefront => new() { Name = "Storefront" };

    private static async Task<List<OutboxMail>> ConfirmationMailsAsync(IdentityTestServices services)
    {
        await using var db = services.CreateContext();
        return await db.OutboxMails.Where(m => m.Kind == MailKinds.ConfirmEmail).ToListAsync();
    }

    [Fact]
    public async Task When_required_a_new_owner_is_mailed_a_link_and_creates_keys_only_after_following_it()
    {
        var (services, owner) = await RegisterAsync(required: true);
        await using var _ = services;
        await using var applicationsScope = services.CreateScope();
        var applications = applicationsScope.Get<ApplicationService>();

        var mail = Assert.Single(await ConfirmationMailsAsync(services));
        Assert.Equal("olive@controlpanel.test", mail.To);
        var refused = await Assert.ThrowsAsync<ValidationException>(() => applications.CreateAsync(owner, Storefront));
        Assert.Equal(EmailConfirmation.NotConfirmed, refused.Message);

        var link = new Uri(mail.TextBody.Split('\n').Select(l => l.Trim()).Single(l => l.Contains(PublicLinks.ConfirmEmailPath, StringComparison.Ordinal)));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        await using (var scope = services.CreateScope())
        {
            var confirmation = scope.Get<EmailConfirmation>();
            Assert.False(await confirmation.ConfirmAsync(owner.UserId, "made-up"));
            Assert.True(await confirmation.ConfirmAsync(query["userId"], query["token"]));
            Assert.True((await confirmation.StatusAsync(owner)).Confirmed);
        }

        var created = await applications.CreateAsync(owner, Storefront);
        Assert.NotNull(created.Keys.ApplicationKey);
    }

    [Fact]
    public async Task When_not_required_no_link_is_mailed_and_keys_are_created_at_once()
    {
        var (services, owner) = await RegisterAsync(required: false);
        await using var _ = services;
        Assert.Empty(await ConfirmationMailsAsync(services));
        await using var scope = services.CreateScope();
        Assert.NotNull((await scope.Get<ApplicationService>().CreateAsync(owner, Storefront)).Keys.ApplicationKey);
    }

    [Fact]
    public async Task The_link_can_be_sent_again_a_few_times_an_hour_and_not_once_confirmed()
    {
        var (services, owner) = await RegisterAsync(required: true);
        await using var _ = services;
        await using (var scope = services.CreateScope())
        {
            var confirmation = scope.Get<EmailConfirmation>();
            for (var i = 1; i < EmailConfirmation.MailsPerHour; i++) await confirmation.ResendAsync(owner);
            await Assert.ThrowsAsync<ValidationException>(() => confirmation.ResendAsync(owner));
        }
        Assert.Equal(EmailConfirmation.MailsPerHour, (await ConfirmationMailsAsync(services)).Count);

        await using (var scope = services.CreateScope())
        {
            var users = scope.Users();
            var user = (await users.FindByIdAsync(owner.UserId))!;
            Assert.True((await users.ConfirmEmailAsync(user, await users.GenerateEmailConfirmationTokenAsync(user))).Succeeded);
            var refused = await Assert.ThrowsAsync<ValidationException>(() => scope.Get<EmailConfirmation>().ResendAsync(owner));
            Assert.Contains("already confirmed", refused.Message);
        }
    }
}
