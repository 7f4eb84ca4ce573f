using ControlPanel.Domain.Accounts;

namespace ControlPanel.Domain.Applications;

/// <summary>An account's application: what a key pair identifies on the platform.</summary>
public class Application
{
    public const int NameMaxLength = 80;
    public const int NameMinLength = 2;
    public const int ViewMaxLength = 100;
    public const string DefaultViewName = "default";

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid AccountId { get; set; }
    public Account? Account { get; set; }
    public required string Name { get; set; }
    public ApplicationEnvironment Environment { get; set; }
    /// <summary>An offline application's calls answer error 110 APPLICATION OFFLINE.</summary>
    public bool IsOnline { get; set; } = true;
    /// <summary>The seed ties keys to "a default view onto your knowledge base and product set"; a session may later change it.</summary>
    public string DefaultView { get; set; } = DefaultViewName;
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}
