namespace ControlPanel.Domain.Accounts;

/// <summary>
/// The "Bootstrap" section: how the first Admin is made. With both values set, that Admin is created
/// on start when no Admin exists. Otherwise a one-time setup token is printed to the console.
/// </summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}
