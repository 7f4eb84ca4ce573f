using ControlPanel.Web.Components.Pages.Usage;

namespace ControlPanel.Components.Tests.Usage;

public sealed class QuotaBannerTests : UsageComponentTest
{
    protected override bool UsesPageClock => true;

    [Fact]
    public async Task The_banner_follows_the_quota_from_a_threshold_to_the_allowance_to_103_refusals_without_a_reload()
    {
        var owner = await NewOwnerAsync("Acme");
        var (id, keys) = await NewApplicationAsync(owner, "Storefront");
        await SetQuotaAsync(id, 10, 2);
        Assert.All(await CallAsync(keys, 9), code => Assert.Equal(0, code));
        SignIn(owner);
        var names = new Dictionary<Guid, string> { [id] = "Storefront" };

        var cut = Render<QuotaNotifications>(p => p.Add(n => n.ApplicationId, id).Add(n => n.ApplicationNames, names)
            .Add(n => n.ShowList, false).Add(n => n.RefreshSeconds, 1));

        // Within the quota: 90% reached.
        var banner = cut.Find("[data-testid=quota-banner]");
        Assert.Equal("WithinQuota", banner.GetAttribute("data-standing"));
        Assert.Contains("Storefront has used 90% of its monthly quota (9 of 10 calls)", banner.TextContent);

        // Past the quota: on the allowance, with what is left, once the refresh comes.
        Assert.Equal([0, 0], await CallAsync(keys, 2));
        Assert.Equal("WithinQuota", cut.Find("[data-testid=quota-banner]").GetAttribute("data-standing"));
        PageClock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() =>
        {
            var now = cut.Find("[data-testid=quota-banner]");
            Assert.Equal("InOverrun", now.GetAttribute("data-standing"));
            Assert.Contains("its calls now use the overrun allowance, 1 call left before they are refused with 103", now.TextContent);
        }, TimeSpan.FromSeconds(10));

        // Allowance spent: the banner no longer says calls use the allowance.
        Assert.Equal([0, 103, 103], await CallAsync(keys, 3));
        PageClock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() =>
        {
            var now = cut.Find("[data-testid=quota-banner]");
            Assert.Equal("Refusing", now.GetAttribute("data-standing"));
            Assert.Contains("has used its monthly quota and its overrun allowance (12 of 10 calls, allowance 2): its calls are refused with 103", now.TextContent);
            Assert.DoesNotContain("now use the overrun allowance", now.TextContent);
            Assert.Contains("-error", now.ClassName, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Without_an_allowance_the_banner_says_calls_are_refused_once_the_quota_is_used()
    {
        var owner = await NewOwnerAsync("Acme");
        var (id, keys) = await NewApplicationAsync(owner, "Storefront");
        await SetQuotaAsync(id, 2, 0);
        Assert.Equal([0, 0, 103], await CallAsync(keys, 3));
        SignIn(owner);

        var cut = Render<QuotaNotifications>(p => p.Add(n => n.ApplicationId, id)
            .Add(n => n.ApplicationNames, new Dictionary<Guid, string> { [id] = "Storefront" }));

        Assert.Contains("has used its monthly quota (2 of 2 calls) and has no overrun allowance: its calls are refused with 103",
            cut.Find("[data-testid=quota-banner]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=quota-notification]"));
    }

    [Fact]
    public async Task An_owner_sees_no_banner_of_another_account()
    {
        var other = await NewOwnerAsync("Globex");
        var (theirs, keys) = await NewApplicationAsync(other, "Theirs");
        await SetQuotaAsync(theirs, 1, 0);
        await CallAsync(keys, 2);
        SignIn(await NewOwnerAsync("Acme"));

        var cut = Render<QuotaNotifications>();

        Assert.Empty(cut.FindAll("[data-testid=quota-banner]"));
        Assert.Contains("None yet.", cut.Find("[data-testid=quota-notifications]").TextContent);
    }
}
