namespace ControlPanel.Domain.Limits;

/// <summary>
/// How much of one limit's period the instances have taken between them (a rate-limit window or a
/// quota month): the database row behind <see cref="DatabaseCounterStore"/>.
/// </summary>
public class SharedCounter
{
    /// <summary>What is limited, for example <c>a:{application}:{client IP}</c> or <c>q:{application}</c>.</summary>
    public required string Key { get; set; }

    /// <summary>The start of the window or month, UTC.</summary>
    public DateTime Period { get; set; }

    /// <summary>Calls handed out to instances so far; may pass the limit when instances ask at once (the excess is never used).</summary>
    public long Taken { get; set; }

    /// <summary>When the row can be deleted: the end of its period.</summary>
    public DateTime ExpiresAt { get; set; }

    public const int KeyMaxLength = 200;
}
