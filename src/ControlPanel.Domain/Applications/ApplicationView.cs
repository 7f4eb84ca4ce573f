namespace ControlPanel.Domain.Applications;

/// <summary>
/// One of an application's views, "onto your knowledge base and product set" as the seed says: keys start a session on the
/// application's default view (one of these), and a session may change to any other of them (a name not listed answers 309).
/// </summary>
public class ApplicationView
{
    public const int DescriptionMaxLength = 200;

    public Guid ApplicationId { get; set; }
    /// <summary>Unique within the application, compared exactly (ordinal), as sessions name it.</summary>
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}
