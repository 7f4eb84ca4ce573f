using System.Text.RegularExpressions;

namespace ControlPanel.Domain.Keys;

/// <summary>
/// Hides keys' last four characters from Support, who read every account but hold no keys: the
/// key list shows them <see cref="Hidden"/>, and audit text and webhook payloads are redacted the
/// same way when Support reads them (what is stored stays whole for owners and Admins).
/// </summary>
public static partial class KeyRedaction
{
    public const string Hidden = "····";

    /// <summary>"…1a2b" as audit text writes a key's last four (see <see cref="KeyService"/>).</summary>
    [GeneratedRegex("…[0-9A-Fa-f]{4}(?![0-9A-Fa-f])")]
    private static partial Regex LastFourInText();

    /// <summary>"application_key_last4": "1a2b" in a webhook payload, or in a receiver's answer echoing one.</summary>
    [GeneratedRegex("(\"[A-Za-z_]*last_?4\"\\s*:\\s*\")[^\"]*(\")", RegexOptions.IgnoreCase)]
    private static partial Regex LastFourInJson();

    public static string InText(string text) => LastFourInText().Replace(text, "…" + Hidden);

    public static string? InJson(string? json) => json is null ? null : LastFourInJson().Replace(json, "${1}" + Hidden + "${2}");
}
