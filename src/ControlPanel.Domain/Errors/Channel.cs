namespace ControlPanel.Domain.Errors;

/// <summary>A contact modality from the SYNAPPS channel table.</summary>
/// <param name="Number">The channel code clients send.</param>
/// <param name="Description">The guide's name for the channel.</param>
/// <param name="Active">False for channels the guide strikes through (no longer offered).</param>
public sealed record Channel(int Number, string Description, bool Active);
