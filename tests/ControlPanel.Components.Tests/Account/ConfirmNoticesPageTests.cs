using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Web.Components.Account.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Components.Tests.Account;

/// <summary>
/// The page an extra notice recipient's link opens: anyone may open it, and opening it confirms nothing (mail scanners
/// open links): only its button does.
/// </summary>
public sealed class ConfirmNoticesPageTests : ComponentTest
{
    private void Open(string address) => Context.Services.GetRequiredService<NavigationManager>().NavigateTo(address);

    [Fact]
    public async Task Opening_the_link_asks_for_the_button_and_confirms_nothing()
    {
        var owner = await NewOwnerAsync("Acme Ltd");
        await UseAsync<NoticeSettings, bool>(async settings =>
        {
            await settings.SaveAsync(owner, NoticeKind.Quota, "team@acme.test");
            return true;
        });
        var mail = await UseAsync<ControlPanelDbContext, OutboxMail>(db =>
            db.OutboxMails.SingleAsync(m => m.Kind == MailKinds.NoticeRecipientConfirmation));
        var link = mail.TextBody.Split('\n').Select(l => l.Trim()).Single(l => l.Contains(PublicLinks.ConfirmNoticeRecipientPath, StringComparison.Ordinal));
        Open(new Uri(link).PathAndQuery.TrimStart('/'));

        var page = Render<ConfirmNotices>();

        page.WaitForElement("[data-testid=confirm-notices]");
        Assert.Empty(page.FindAll("[data-testid=notices-confirmed]"));
        Assert.Equal(["team@acme.test"], (await UseAsync<NoticeSettings, NoticeSettings.Settings>(s => s.GetAsync(owner))).Unconfirmed);
    }
}
