using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Accounts;

public class SignInAddressesTests
{
    [Fact]
    public async Task Only_a_sign_in_from_a_network_not_seen_before_and_not_the_first_is_mailed()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();
        var owner = await services.RegisterOwnerAsync();
        var start = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

        foreach (var (address, minutes) in new[] { ("192.0.2.1", 0), ("192.0.2.1", 1), ("2001:db8:1:2::/64", 2), ("192.0.2.1", 3) })
        {
            await using var db = services.CreateContext();
            await SignInAddresses.RecordAsync(db, (await db.Users.SingleAsync(u => u.Id == owner.Id)), address, start.AddMinutes(minutes));
        }

        await using var check = services.CreateContext();
        var notice = Assert.Single(await check.OutboxMails.ToListAsync());
        Assert.Equal(MailKinds.NewSignInAddress, notice.Kind);
        Assert.Contains("2001:db8:1:2::/64", notice.TextBody);
        var known = await check.KnownSignInAddresses.OrderBy(k => k.FirstSeenAt).ToListAsync();
        Assert.Equal(["192.0.2.1", "2001:db8:1:2::/64"], known.Select(k => k.Address));
        Assert.Equal(start.AddMinutes(3), known[0].LastSeenAt);
    }

    [Fact]
    public async Task Turning_two_factor_on_or_off_is_mailed_and_saving_it_again_is_not()
    {
        await using var services = await IdentityTestServices.CreateAsync();
        await services.EnsureRolesAsync();
        var owner = await services.RegisterOwnerAsync();
        foreach (var enabled in new[] { true, true, false })
        {
            await using var scope = services.CreateScope();
            var users = scope.Users();
            Assert.IsType<ControlPanelUserManager>(users);
            Assert.True((await users.SetTwoFactorEnabledAsync((await users.FindByIdAsync(owner.Id))!, enabled)).Succeeded);
        }

        await using var db = services.CreateContext();
        var mails = await db.OutboxMails.OrderBy(m => m.Subject).ToListAsync();
        Assert.Equal(["Two-factor authentication is on for your ControlPanel account", "Two-factor authentication was turned off for your ControlPanel account"],
            mails.Select(m => m.Subject));
        Assert.All(mails, m => Assert.Equal(MailKinds.TwoFactorChanged, m.Kind));
    }
}
