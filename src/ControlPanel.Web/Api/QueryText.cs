namespace ControlPanel.Web.Api;

/// <summary>
/// Query parameters arrive as text and are parsed by the endpoints, so a malformed one answers 117 in the error body
/// rather than the framework's bare 400.
/// </summary>
public static class QueryText
{
    /// <summary>An optional id: empty is none; anything but a GUID is refused (false).</summary>
    public static bool TryParseId(string? text, out Guid? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!Guid.TryParse(text, out var parsed)) return false;
        id = parsed;
        return true;
    }
}
