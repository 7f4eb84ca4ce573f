using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace ControlPanel.Domain.Email;

/// <summary>How the connection to the SMTP server is secured (MailKit's SecureSocketOptions, named for people).</summary>
public enum SmtpTlsMode
{
    /// <summary>TLS when the server offers it: implicit TLS on port 465, STARTTLS elsewhere if announced.</summary>
    Auto,
    /// <summary>Plain text. Only for a relay on this host or a test server.</summary>
    None,
    /// <summary>STARTTLS, required (port 587).</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,
}

/// <summary>
/// The "Email" section. With no <see cref="Host"/>, nothing is sent over the network: every mail is written as one
/// .eml file to <see cref="PickupFolder"/> (by default a "mail" folder beside the SQLite database), so the run command
/// needs no set-up.
/// </summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    /// <summary>The SMTP server's host name; empty writes .eml files instead.</summary>
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpTlsMode TlsMode { get; set; } = SmtpTlsMode.StartTls;

    /// <summary>The SMTP user; empty sends without authenticating.</summary>
    public string User { get; set; } = "";

    /// <summary>Set it from the environment (Email__Password), not in appsettings.json.</summary>
    public string Password { get; set; } = "";

    /// <summary>The sender of every mail, "address" or "Name &lt;address&gt;".</summary>
    [Required]
    public string FromAddress { get; set; } = "ControlPanel <controlpanel@localhost>";

    /// <summary>
    /// The address people reach the control panel at (https://panel.example.com/), the start of every link in a mail.
    /// Required with SMTP; otherwise the app's first listening address (Urls) is used.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Where .eml files are written when no <see cref="Host"/> is set; empty: "mail" beside the SQLite database.</summary>
    public string PickupFolder { get; set; } = "";

    /// <summary>How often the outbox is read for mails due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The wait after a first failed attempt; it doubles after each further failure, up to an hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts in all before a mail is given up (logged as an error and kept in the outbox as failed).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Sent or given-up mails are deleted from the outbox after this many days (the hourly history sweep).</summary>
    [Range(1, 3650)]
    public int HistoryRetentionDays { get; set; } = 30;

    /// <summary>Whether mails go to an SMTP server (true) or to .eml files (false).</summary>
    public bool IsSmtpConfigured => !string.IsNullOrWhiteSpace(Host);

    // Methods, not properties: validation reads every property, and these parse what it is about to check.

    /// <summary>The sender, parsed.</summary>
    public MailboxAddress Sender() => MailboxAddress.Parse(FromAddress);

    /// <summary>The base of every link, ending in a slash.</summary>
    public Uri LinkBase() => new(PublicBaseUrl.EndsWith('/') ? PublicBaseUrl : PublicBaseUrl + "/", UriKind.Absolute);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailboxAddress.TryParse(FromAddress, out _))
            yield return new ValidationResult("Email:FromAddress is not an email address.", [nameof(FromAddress)]);
        if (IsSmtpConfigured && string.IsNullOrWhiteSpace(PublicBaseUrl))
            yield return new ValidationResult("Email:PublicBaseUrl is required when Email:Host is set: links in mails start with it.", [nameof(PublicBaseUrl)]);
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && !(Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            yield return new ValidationResult("Email:PublicBaseUrl must be an absolute http(s) address.", [nameof(PublicBaseUrl)]);
        if (string.IsNullOrEmpty(User) != string.IsNullOrEmpty(Password))
            yield return new ValidationResult("Email:User and Email:Password are set together, or neither.", [nameof(User), nameof(Password)]);
    }
}
