using ControlPanel.Web.Components.Account.Shared;

namespace ControlPanel.Components.Tests.Account;

public sealed class TwoFactorSetupPartsTests : ComponentTest
{
    [Fact]
    public void The_authenticator_link_is_drawn_as_a_qr_code_that_changes_with_the_link()
    {
        var first = Render<AuthenticatorQrCode>(p => p.Add(q => q.Uri, "otpauth://totp/ControlPanel:a%40b.test?secret=JBSWY3DPEHPK3PXP&issuer=ControlPanel&digits=6"));
        var other = Render<AuthenticatorQrCode>(p => p.Add(q => q.Uri, "otpauth://totp/ControlPanel:c%40d.test?secret=KRSXG5CTMVRXEZLU&issuer=ControlPanel&digits=6"));

        var svg = first.Find("[data-testid=authenticator-qr] svg");
        Assert.NotEmpty(svg.QuerySelectorAll("rect, path"));
        Assert.NotEqual(svg.OuterHtml, other.Find("[data-testid=authenticator-qr] svg").OuterHtml);
        Assert.Contains("scan", first.Find("[data-testid=authenticator-qr]").GetAttribute("aria-label"));
    }

    [Fact]
    public void Recovery_codes_can_be_copied_and_downloaded_as_a_text_file()
    {
        var cut = Render<RecoveryCodeList>(p => p.Add(r => r.Codes, ["abcd-1234", "efgh-5678"]));

        Assert.Equal("abcd-1234\nefgh-5678", cut.Find("[data-testid=recovery-codes]").TextContent);
        Assert.Equal("recovery-codes", cut.Find("[data-testid=copy-recovery-codes]").GetAttribute("data-copy"));
        var download = cut.Find("[data-testid=download-recovery-codes]");
        Assert.Equal("controlpanel-recovery-codes.txt", download.GetAttribute("download"));
        Assert.Equal("abcd-1234\nefgh-5678\n", Uri.UnescapeDataString(download.GetAttribute("href")!["data:text/plain;charset=utf-8,".Length..]));
    }
}
