namespace ControlPanel.Domain.Accounts;

/// <summary>The viewer may not see or change what was asked for. Shown as "not found" so ids leak nothing.</summary>
public sealed class AccessDeniedException() : Exception("Not found.");
