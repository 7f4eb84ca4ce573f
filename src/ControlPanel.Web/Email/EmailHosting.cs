using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using ControlPanel.Web.Background;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Email;

public static class EmailHosting
{
    /// <summary>Where links and .eml files go when not configured (the domain registers the rest of Email).</summary>
    public static void AddControlPanelEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>()
            .PostConfigure<IOptions<DatabaseOptions>>((email, database) =>
            {
                // With SMTP the address must be configured (validated below): a listening address behind a proxy is not what people open.
                if (!email.IsSmtpConfigured && string.IsNullOrWhiteSpace(email.PublicBaseUrl)) email.PublicBaseUrl = FirstListeningAddress(builder.Configuration);
                if (string.IsNullOrWhiteSpace(email.PickupFolder)) email.PickupFolder = Path.Combine(database.Value.DataFolder(), "mail");
            });
    }

    /// <summary>Links need an address people can open; without SMTP and Email:PublicBaseUrl, the first address the app listens on.</summary>
    private static string FirstListeningAddress(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        // A wildcard host is not an address anyone can open.
        return first is null ? "http://localhost:5000/" : first.Replace("://*", "://localhost").Replace("://+", "://localhost").Replace("://0.0.0.0", "://localhost");
    }
}
