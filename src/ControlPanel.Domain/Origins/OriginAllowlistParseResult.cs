namespace ControlPanel.Domain.Origins;

/// <summary>The outcome of <see cref="OriginAllowlist.Parse(IEnumerable{string})"/>: the usable entries and the lines that were not.</summary>
public sealed class OriginAllowlistParseResult
{
    internal OriginAllowlistParseResult(IReadOnlyList<OriginEntry> entries, IReadOnlyList<OriginLineError> errors)
    {
        Entries = entries;
        Errors = errors;
    }

    /// <summary>The valid lines, normalised, without duplicates, in the order first entered.</summary>
    public IReadOnlyList<OriginEntry> Entries { get; }

    /// <summary>One error per invalid line, in line order.</summary>
    public IReadOnlyList<OriginLineError> Errors { get; }

    /// <summary>True when every non-blank line was valid.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>
    /// The allowlist of <see cref="Entries"/>. Throws when any line was invalid: saving only the
    /// valid part could silently leave out an address the user meant to allow.
    /// </summary>
    public OriginAllowlist ToAllowlist() =>
        Succeeded
            ? new OriginAllowlist(Entries)
            : throw new InvalidOperationException($"The allowlist has {Errors.Count} invalid line(s); fix them before using it.");
}
