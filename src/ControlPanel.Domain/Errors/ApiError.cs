namespace ControlPanel.Domain.Errors;

/// <summary>One row of the SYNAPPS error-code table.</summary>
/// <param name="Code">The error number clients see in the <c>Error</c> field.</param>
/// <param name="Severity">NOTICE, INFO, WARNING, HIGH or CRITICAL, as the guide writes it.</param>
/// <param name="Description">The upper-case description returned in the <c>Description</c> field.</param>
/// <param name="HttpStatus">The HTTP status code the response carries.</param>
public sealed record ApiError(int Code, string Severity, string Description, int HttpStatus);
