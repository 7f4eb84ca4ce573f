using ControlPanel.Web.Components.Account;

namespace ControlPanel.Components.Tests.Account;

/// <summary>The return address after sign-in or sign-out: only what Url.IsLocalUrl calls local is followed.</summary>
public sealed class IdentityRedirectsTests
{
    [Theory]
    [InlineData(@"http:\/evil.example")]
    [InlineData(@"http:\/evil.example/")]
    [InlineData(@"https:\\evil.example")]
    [InlineData("http://evil.example/")]
    [InlineData("https://evil.example/applications")]
    [InlineData("javascript:alert(1)")]
    [InlineData("//evil.example")]
    [InlineData(@"/\evil.example")]
    [InlineData(@"\\evil.example")]
    [InlineData(@"\/evil.example")]
    [InlineData("~//evil.example")]
    [InlineData(@"~/\evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/applications\r\n")]
    [InlineData(" //evil.example")]
    [InlineData(" /applications")]
    [InlineData("applications/3")]
    [InlineData("evil.example")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_not_local_is_dropped(string? returnUrl) =>
        Assert.Equal("", IdentityRedirects.SafeReturnUrl(returnUrl));

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/applications/3", "/applications/3")]
    [InlineData("/usage?from=2026-01-01&to=2026-01-31", "/usage?from=2026-01-01&to=2026-01-31")]
    [InlineData("/webhooks/2#deliveries", "/webhooks/2#deliveries")]
    [InlineData("~/", "/")]
    [InlineData("~/applications", "/applications")]
    public void Local_paths_are_kept_as_paths_from_the_site_root(string returnUrl, string expected) =>
        Assert.Equal(expected, IdentityRedirects.SafeReturnUrl(returnUrl));
}
