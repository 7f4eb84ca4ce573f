namespace ControlPanel.Domain.Origins;

/// <summary>Why one line of an allowlist could not be used.</summary>
/// <param name="LineNumber">1-based, counting blank lines, so it matches what the user sees.</param>
/// <param name="Text">The line as entered, trimmed.</param>
/// <param name="Message">A sentence the user can act on.</param>
public sealed record OriginLineError(int LineNumber, string Text, string Message);
