namespace ControlPanel.Domain.Data;

/// <summary>
/// One ASP.NET Core Data Protection key (XML), kept in the database so every instance signs cookies
/// and decrypts webhook secrets with the same key ring.
/// </summary>
public class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
