namespace ControlPanel.Domain.Applications;

/// <summary>
/// A whole number typed into a form (a quota, an allowance, a limit): digits, with an optional sign and spaces, commas,
/// underscores or apostrophes between digit groups. Anything else ("5k", "1.5", "5 000 calls") is refused with a message
/// rather than read as another number, and a cut of more than 90 % is a change to confirm, not a slip of the keyboard.
/// </summary>
public static class TypedNumber
{
    /// <summary>The message for text that is not a whole number; <paramref name="what"/> is the field ("the monthly quota").</summary>
    public static string NotANumber(string what) => $"Enter {what} as a whole number in digits, such as 5000 (not 5k or 5,5).";

    /// <summary>
    /// Reads <paramref name="text"/>: blank is null when <paramref name="optional"/> (the default applies), else refused.
    /// The range is the service's to check, so its message names the limits.
    /// </summary>
    public static bool TryParse(string? text, string what, bool optional, out long? value, out string? error)
    {
        (value, error) = (null, null);
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            if (optional) return true;
            error = NotANumber(what);
            return false;
        }
        var negative = trimmed[0] == '-';
        var digits = negative || trimmed[0] == '+' ? trimmed[1..] : trimmed;
        long number = 0;
        var lastWasDigit = false;
        foreach (var c in digits)
        {
            if (char.IsAsciiDigit(c))
            {
                if (number > (long.MaxValue - (c - '0')) / 10) break;
                number = number * 10 + (c - '0');
                lastWasDigit = true;
            }
            else if (c is ' ' or ',' or '_' or '\'' && lastWasDigit) lastWasDigit = false;
            else
            {
                error = NotANumber(what);
                return false;
            }
        }
        // Nothing read, a separator last, or more digits than a long holds.
        if (!lastWasDigit || digits.Count(char.IsAsciiDigit) > 18)
        {
            error = NotANumber(what);
            return false;
        }
        value = negative ? -number : number;
        return true;
    }

    /// <summary>
    /// Whether going from <paramref name="before"/> to <paramref name="after"/> cuts it by more than 90 %: asked before saving.
    /// A negative value is not a cut to confirm: the service refuses it and says why.
    /// </summary>
    public static bool IsSteepCut(long before, long after) => before > 0 && after >= 0 && after < before / 10.0;
}
