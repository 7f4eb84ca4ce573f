using ControlPanel.Domain.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPanel.Api.Tests.Email;

public sealed class EmailOptionsTests
{
    [Theory]
    [InlineData("Email:Host", "smtp.example.com", "PublicBaseUrl")]
    [InlineData("Email:PublicBaseUrl", "panel.example.com", "PublicBaseUrl")]
    [InlineData("Email:FromAddress", "not an address", "FromAddress")]
    [InlineData("Email:User", "panel", "Password")]
    [InlineData("Email:Port", "0", "Port")]
    public async Task Invalid_email_options_stop_the_app_at_start_naming_the_option(string key, string value, string named)
    {
        await using var factory = new ControlPanelFactory().With(key, value);
        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task Without_SMTP_mail_goes_to_a_folder_beside_the_database_and_links_start_with_the_listening_address()
    {
        await using var factory = new ControlPanelFactory().With("urls", "http://127.0.0.1:5999");
        factory.CreateClient();

        var transport = Assert.IsType<FolderMailTransport>(factory.Services.GetRequiredService<MailTransport>());
        Assert.Equal(Path.Combine(factory.DataFolder, "mail"), transport.Folder);
        Assert.Equal(new Uri("http://127.0.0.1:5999/"), factory.Services.GetRequiredService<IOptions<EmailOptions>>().Value.LinkBase());
    }
}
