using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Errors;

namespace ControlPanel.Domain.Usage;

/// <summary>A report's date range is backwards or reaches past the history kept: shown as a validation message, answered by the API as 311 INVALID DATE RANGE.</summary>
public sealed class InvalidDateRangeException(string message) : ValidationException(message)
{
    public static ApiError Error => ErrorCatalogue.InvalidDateRange;
}
